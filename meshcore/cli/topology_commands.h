#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace meshcore::cli {

// meshd stat [--window D] [--json]: every service with its request rate, success rate and
// latency percentiles, as `linkerd viz stat` shows deployments.
int runStatVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err);

// meshd edges [--window D] [--json]: who calls whom, and whether the connection is mTLS, as
// `linkerd viz edges`.
int runEdgesVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err);

// meshd routes SERVICE [--json]: a service's routes with rate, success, latency, retries and
// timeouts, as `linkerd viz routes`.
int runRoutesVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err);

} // namespace meshcore::cli
