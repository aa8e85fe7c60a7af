#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace meshcore::cli {

// `meshd ca VERB ...`: init, issue, inspect, rotate-issuer, rotate-anchor. They work on the CA
// files in the state directory under its lock; a running meshd picks the changes up within a
// second.
int runCaVerb(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

} // namespace meshcore::cli
