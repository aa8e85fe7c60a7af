#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace meshcore::cli {

// meshd's command line: `meshd VERB [FLAGS]`. Returns the exit status: 0 success, 1 the command
// failed (meshd unreachable, port in use), 2 bad usage or invalid configuration.
int runMeshd(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);

} // namespace meshcore::cli
