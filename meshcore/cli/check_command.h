#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace meshcore::cli {

// meshd check [--json]: the mesh's health checks, like `linkerd check`; exit status 1 when one
// fails (warnings alone exit 0).
int runCheckVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err);

} // namespace meshcore::cli
