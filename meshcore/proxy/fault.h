#pragma once

// Layer 4 of the outbound stack: faults injected by a route's policy (demos, training, a
// rollout's candidate broken on purpose). A delay first, cut short at the deadline; then perhaps
// an abort with the configured status. Nothing is forwarded when it answers.

#include <optional>

#include "proxy/chance.h"
#include "proxy/request_context.h"

namespace meshcore::proxy {

// What to answer instead of forwarding, if a fault (or the deadline, during a delay) says so.
boost::asio::awaitable<std::optional<ProxyError>> injectFaults(RequestContext &context,
                                                               Chance &chance);

} // namespace meshcore::proxy
