#pragma once

// The outbound request path for one HTTP/1 request, one layer per step (docs/development.md,
// "One request"). Internal to proxy/.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include "proxy/outbound_http1.h"

namespace meshcore::proxy {

// The route and its policy, the metrics and the tap, the deadline, faults, retries around the
// balancer around one attempt to one endpoint, and one exit. Returns whether the connection can
// carry another request.
asio::awaitable<bool> outboundRequest(OutboundSession &session, OutboundHttp1::Request &request,
                                      const Destination &destination, const RequestTarget &target);

} // namespace meshcore::proxy
