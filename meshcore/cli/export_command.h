#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace meshcore::cli {

// `meshd export`: a service's configuration (and its rollout) as Kubernetes YAML, offline.
int runExportVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err);

} // namespace meshcore::cli
