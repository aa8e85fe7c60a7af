#pragma once

#include <string>

#include <nlohmann/json_fwd.hpp>

namespace meshcore {

// The one way meshcore turns JSON into text. Strings in it may carry bytes from the wire or from
// files (a request's authority or path, a config error quoting the file): invalid UTF-8 is
// replaced by U+FFFD instead of throwing (nlohmann's plain dump() throws type_error.316).
// `indent` as in nlohmann::json::dump: -1 for one line, 2 for people.
std::string dumpJson(const nlohmann::json &json, int indent = -1);

} // namespace meshcore
