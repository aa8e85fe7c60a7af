#pragma once

// What one outbound proxy's connections share, and one client connection's state across its
// requests. Internal to proxy/.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <memory>
#include <vector>

#include "proxy/chance.h"
#include "proxy/destination.h"
#include "proxy/endpoint_connect.h"
#include "proxy/monotonic_clock.h"
#include "proxy/outbound_metrics.h"
#include "proxy/proxy_telemetry.h"
#include "proxy/workers.h"
#include "proxy/workload_tls.h"

namespace meshcore::proxy {

namespace h2 {
template <class Stream> class H2ClientPool;
} // namespace h2

struct OutboundShared {
    OutboundShared();
    ~OutboundShared(); // where H2ClientPool is complete (outbound_proxy.cpp)
    OutboundShared(const OutboundShared &) = delete;
    OutboundShared &operator=(const OutboundShared &) = delete;

    std::shared_ptr<WorkloadTls> tls;
    Resolver resolver;
    ProxyTelemetry telemetry;
    const MonotonicClock *clock = nullptr;
    Workers *workers = nullptr; // where its upstream ports run their connections
    std::vector<UpstreamPool<TlsStream>> pools; // one per worker, used on that worker only
    std::vector<std::unique_ptr<h2::H2ClientPool<TlsStream>>> h2Pools; // the same for HTTP/2
};

struct OutboundSession {
    OutboundSession(Worker &w, OutboundShared &s, asio::ip::tcp::socket socket)
        : worker(w)
        , shared(s)
        , down(std::move(socket))
        , series(s.telemetry.metrics, s.telemetry.workload)
    {
    }
    UpstreamPool<TlsStream> &pool() { return shared.pools[worker.index()]; }
    const MonotonicClock &clock() const { return *shared.clock; }

    Worker &worker;
    OutboundShared &shared;
    beast::tcp_stream down; // from the workload, plain
    beast::flat_buffer downBuffer {MaxHeaderBytes + RelayChunkBytes};
    bool reset = false; // a response was cut short: the connection ends with a reset
    std::string closeErrno; // why the connection ends, when a socket error ends it (opaque TCP)
    OutboundSeries series;
    std::unique_ptr<TlsUpstream> upstream; // the last one used, kept while it goes to one replica
    Chance chance;
    // An HTTP/2 connection took `down` over (serveHttp2): it closes the socket, after the meter.
    std::shared_ptr<void> h2;
};

} // namespace meshcore::proxy
