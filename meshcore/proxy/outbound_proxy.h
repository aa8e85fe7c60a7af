#pragma once

#include <utility>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "core/address.h"
#include "core/clock.h"
#include "core/result.h"
#include "proxy/destination.h"
#include "proxy/monotonic_clock.h"
#include "proxy/proxy_listener.h"
#include "proxy/proxy_telemetry.h"
#include "proxy/request_target.h"
#include "proxy/upstream_port.h"
#include "proxy/workload_tls.h"

namespace meshcore::proxy {

// A workload's outbound side (its http_proxy): accepts proxy-style (absolute-form) and
// origin-form requests, resolves the service, connects to a replica's inbound proxy over mTLS
// presenting the workload's certificate, checks the server's identity, and streams the exchange.
// Unknown services get 503, unreachable ones 502, each with an l5d-proxy-error header. The
// destination's policy applies: fault injection, the split and the balancer, timeouts (504),
// retries within the budget, and fail-fast 503 when every replica's breaker is open.
// Connections to inbound proxies are kept and reused, per worker, across client connections.
// The request path is outboundRequest() in outbound_request.cpp; its layers take `clock`,
// which must outlive the proxy.
// Thread: create and stop on any thread (the listener closes on the acceptor worker).
class OutboundProxy {
public:
    static Result<std::unique_ptr<OutboundProxy>>
    create(Workers &workers, const Address &listen, std::shared_ptr<WorkloadTls> tls,
           Resolver resolver, ProxyTelemetry telemetry,
           const MonotonicClock &clock = systemMonotonicClock());
    Address localAddress() const { return m_listener->localAddress(); }
    void stop() { m_listener->stop(); }

    // Binds `listen` for `service` ("catalog.shop"): every connection there goes to it through
    // this proxy. Stopping the proxy does not stop its upstream ports; their owner does.
    Result<std::unique_ptr<UpstreamPort>> bindUpstream(const Address &listen,
                                                       const std::string &service);
    // Sends the next connections of `port` (bound by this proxy or another) to `service` through
    // this proxy; those already open carry on where they went.
    void adopt(UpstreamPort &port, std::string service) const;

private:
    std::shared_ptr<OutboundShared> m_shared;
    std::unique_ptr<ProxyListener> m_listener;
};

} // namespace meshcore::proxy
