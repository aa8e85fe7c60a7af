#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace meshcore::cli {

// meshd split SERVICE [VERSION=WEIGHT...] [--json] [--admin ADDR] [--state-dir DIR]: shows a
// service's traffic split, or sets it (versions not named get 0) through the admin API.
int runSplitVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err);

} // namespace meshcore::cli
