#pragma once

#include <string>
#include <string_view>

#include "proxy/destination.h"
#include "proxy/proxy_telemetry.h"
#include "proxy/request_target.h"

namespace meshcore::proxy {

// Records a request that no replica can take, and returns what its 503 says. `destination` is
// the service the name resolved to (then it has no replicas), or null when no service has the
// name. Metrics (with `callerLabels`) and the topology count it under the name the meshd's
// UnknownNames admits, so a flood of made-up names costs a bounded amount; the tap and the
// answer say the name that was asked for. Thread: the calling connection's.
std::string recordUnknownDestination(const ProxyTelemetry &telemetry,
                                     const telemetry::Labels &callerLabels,
                                     const RequestTarget &target, std::string_view method,
                                     const Destination *destination);

} // namespace meshcore::proxy
