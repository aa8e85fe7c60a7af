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
#include "policy/destination_policy.h"
#include "proxy/proxy_listener.h"
#include "proxy/proxy_telemetry.h"
#include "proxy/workload_tls.h"

namespace meshcore::proxy {

// One replica of a destination service, as the outbound side reaches it.
struct Endpoint {
    Address inbound;      // its inbound proxy (mTLS)
    std::string identity; // the identity its certificate must carry
    std::string version;
    std::string pod;
};

// A destination service and its traffic policy. Immutable but for `balancer`, which is
// thread-safe; shared by every outbound proxy of a meshd.
struct Destination {
    std::string service;
    std::string ns;
    std::vector<Endpoint> endpoints;              // numbered as `balancer` numbers them
    std::vector<control::RouteConfig> routes;     // route label and per-route policy
    control::RequestPolicy policy;                // for requests matching no route
    std::shared_ptr<policy::DestinationPolicy> balancer;
};

// A Destination for `service` with its replicas' `endpoints`, its balancer on `clock`.
std::shared_ptr<const Destination> makeDestination(const control::ServiceConfig &service, std::vector<Endpoint> endpoints,
                                                   const Clock &clock);

// Resolves a request's host ("web", "web.shop", "web:80") to a service, or null. Called on
// data-plane threads: it must be thread-safe (it reads an immutable snapshot).
using Resolver = std::function<std::shared_ptr<const Destination>(std::string_view host)>;

// A workload's outbound side (its http_proxy): accepts proxy-style (absolute-form) and
// origin-form requests, resolves the service, connects to a replica's inbound proxy over mTLS
// presenting the workload's certificate, checks the server's identity, and streams the exchange.
// Unknown services get 503, unreachable ones 502, each with an l5d-proxy-error header. The
// destination's policy applies: fault injection, the split and the balancer, timeouts (504),
// retries within the budget, and fail-fast 503 when every replica's breaker is open.
// Connections to inbound proxies are kept and reused, per worker, across client connections.
// Thread: create and stop on any thread (the listener closes on the acceptor worker).
class OutboundProxy {
public:
    static Result<std::unique_ptr<OutboundProxy>> create(Workers &workers, const Address &listen,
                                                         std::shared_ptr<WorkloadTls> tls, Resolver resolver,
                                                         ProxyTelemetry telemetry);
    Address localAddress() const { return m_listener->localAddress(); }
    void stop() { m_listener->stop(); }

private:
    std::unique_ptr<ProxyListener> m_listener;
};

// "http://web.shop:80/x?y" -> {"web.shop", "/x?y"}; origin-form targets take the Host header.
struct RequestTarget {
    std::string host;      // without port
    std::string authority; // host[:port], for the Host header
    std::string path;      // origin-form
};
std::optional<RequestTarget> splitTarget(std::string_view target, std::string_view hostHeader);

} // namespace meshcore::proxy
