#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace meshcore::cli {

// meshd tap [SERVICE] [filters]: live requests, one line each, as they finish (like linkerd viz
// tap).
int runTapVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err);

// meshd top [SERVICE] [filters]: the tap summed up by caller, destination and path, busiest first
// (like linkerd viz top), redrawn every second on a terminal.
int runTopVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err);

} // namespace meshcore::cli
