#pragma once

// What every connection of one inbound proxy shares, whatever protocol its caller speaks, and
// its way to the workload. Internal to proxy/.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "proxy/attempt.h"
#include "proxy/inbound_fault.h"
#include "proxy/monotonic_clock.h"
#include "proxy/proxy_telemetry.h"
#include "proxy/upstream_pool.h"
#include "proxy/workload_tls.h"

namespace meshcore::proxy {

namespace h2 {
template <class Stream> class H2ClientPool;
} // namespace h2

using PlainUpstream = Upstream<beast::tcp_stream>;

struct InboundShared {
    InboundShared();
    ~InboundShared(); // where H2ClientPool is complete (inbound_proxy.cpp)
    InboundShared(const InboundShared &) = delete;
    InboundShared &operator=(const InboundShared &) = delete;

    std::uint16_t workloadPort = 0;
    const MonotonicClock *clock = nullptr;
    std::shared_ptr<WorkloadTls> tls;
    ProxyTelemetry telemetry;
    std::vector<UpstreamPool<beast::tcp_stream>> pools; // one per worker, used on that worker only
    // The same for HTTP/2 callers, whose streams go to the workload as h2c (prior knowledge).
    std::vector<std::unique_ptr<h2::H2ClientPool<beast::tcp_stream>>> h2Pools;
    std::optional<InboundFaults> faults; // the version's runtime fault
};

// A new connection to the workload on 127.0.0.1:`port`, on `executor` (the caller's
// connection's), by `expiry`.
boost::asio::awaitable<ConnectFailure> connectWorkload(std::unique_ptr<PlainUpstream> &upstream,
                                                       boost::asio::any_io_executor executor,
                                                       std::uint16_t port, SteadyTime expiry);

// The route label of a request to the workload's service, from the routes as the latest reload
// left them (a connection keeps its copy until the table's version moves).
class InboundRoutes {
public:
    std::string label(const ProxyTelemetry &telemetry, std::string_view method,
                      std::string_view target);

private:
    std::shared_ptr<const std::vector<control::RouteConfig>> m_routes;
    std::uint64_t m_version = ~std::uint64_t(0);
};

} // namespace meshcore::proxy
