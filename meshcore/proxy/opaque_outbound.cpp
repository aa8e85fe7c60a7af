#include "proxy/opaque_outbound.h"

#include <algorithm>
#include <array>
#include <vector>

#include <boost/asio/read.hpp>

#include "proxy/balance.h"
#include "proxy/errno_name.h"
#include "proxy/http_relay.h"
#include "proxy/opaque_relay.h"

namespace meshcore::proxy {
namespace {

constexpr std::size_t MaxAttempts = 3;
constexpr auto ConnectTimeout = std::chrono::seconds(10);

// The callee's status, the first byte of a meshscope.tcp/1 stream (opaque_relay.h): whether its
// workload took the connection, so that a replica whose process is gone counts as a connect
// failure and the next one is tried before a byte of the client's is sent.
asio::awaitable<ConnectFailure> readCalleeStatus(TlsUpstream &upstream, const Endpoint &endpoint,
                                                 SteadyTime expiry)
{
    beast::get_lowest_layer(upstream.stream).expires_at(expiry);
    beast::error_code ec;
    std::array<char, 1 + 255> status {};
    co_await asio::async_read(upstream.stream, asio::buffer(status.data(), 1),
                              asio::redirect_error(asio::use_awaitable, ec));
    const auto length = static_cast<unsigned char>(status[0]);
    if (!ec && length > 0)
        co_await asio::async_read(upstream.stream, asio::buffer(status.data() + 1, length),
                                  asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return ConnectFailure {endpoint.pod + "'s proxy closed the connection: " + ec.message(),
                                  errnoName(ec)};
    if (length == 0)
        co_return ConnectFailure {};
    std::string reason(status.data() + 1, length);
    co_return ConnectFailure {endpoint.pod + "'s workload is not reachable (" + reason + ")",
                              reason};
}

// One attempt: a connection to `endpoint` that agreed to carry TCP and whose workload took it,
// or `failure` says why not.
asio::awaitable<ForwardResult> connectOpaque(std::unique_ptr<TlsUpstream> &upstream,
                                             asio::any_io_executor executor,
                                             const Endpoint &endpoint, const WorkloadTls &tls,
                                             ConnectFailure &failure)
{
    const auto expiry = std::chrono::steady_clock::now() + ConnectTimeout;
    const auto key = endpoint.inbound.toString(); // (a named local: see GCC 12 in entry.cpp)
    failure = co_await connectEndpoint(upstream, executor, key, endpoint, tls, expiry,
                                       HopProtocol::Tcp);
    if (!failure.failed())
        failure = co_await readCalleeStatus(*upstream, endpoint, expiry);
    if (failure.failed()) {
        upstream.reset();
        co_return ForwardResult {ForwardResult::ConnectFailed, failure.why};
    }
    co_return ForwardResult {ForwardResult::Ok, {}, 200};
}

// The labels of the connection toward `endpoint` (peer="dst"), as Linkerd's `viz edges` reads
// them: the caller's workload, the destination's, and the server's identity.
telemetry::Labels upstreamLabels(const OutboundSession &session, const Destination &destination,
                                 const Endpoint &endpoint)
{
    auto labels = session.series.towards(destination, endpoint, destination.service);
    labels.emplace_back("peer", "dst");
    return labels;
}

// A connection open on a topology edge, for as long as it lives.
struct OpenOnEdge {
    explicit OpenOnEdge(telemetry::TcpEdgeStats &e)
        : edge(e)
    {
        edge.opened(std::chrono::system_clock::now());
    }
    ~OpenOnEdge() { edge.closed(); }
    OpenOnEdge(const OpenOnEdge &) = delete;
    OpenOnEdge &operator=(const OpenOnEdge &) = delete;
    telemetry::TcpEdgeStats &edge;
};

} // namespace

asio::awaitable<void> serveOpaque(OutboundSession &session, const Destination &destination)
{
    std::unique_ptr<TlsUpstream> upstream;
    const Endpoint *chosen = nullptr;
    ConnectFailure failure;
    std::vector<std::size_t> tried; // each attempt goes to a replica not tried yet, if any is left
    const auto attempts = std::min(destination.endpoints.size(), MaxAttempts);
    while (!upstream && tried.size() < attempts) {
        const auto replica = destination.balancer->pick({}, tried);
        if (!replica)
            break; // every replica is ejected
        tried.push_back(*replica);
        BalancedPick pick(*destination.balancer, *replica);
        chosen = &destination.endpoints[*replica];
        const auto started = session.clock().now();
        const auto executor = session.down.get_executor();
        const auto result
            = co_await connectOpaque(upstream, executor, *chosen, *session.shared.tls, failure);
        pick.report(result, session.clock().now() - started); // the RTT is the connect time
    }
    if (!upstream) {
        // Counted once per client connection that no replica took, on the last one tried.
        session.series.tcpEdge(destination, chosen ? *chosen : destination.endpoints.front())
            .refused();
        resetOnClose(session.down.socket());
        session.reset = true;
        if (!chosen)
            session.closeErrno = "EHOSTUNREACH"; // every replica is ejected
        else
            session.closeErrno = failure.errnoName.empty() ? "EIO" : failure.errnoName;
        co_return;
    }
    ConnectionMeter meter(session.shared.telemetry.metrics,
                          upstreamLabels(session, destination, *chosen),
                          beast::get_lowest_layer(upstream->stream).socket().native_handle());
    const OpenOnEdge open(session.series.tcpEdge(destination, *chosen));
    OpaqueRelay relay(session.down, session.downBuffer, upstream->stream,
                      destination.tcpIdleTimeout);
    relay.meterInto(&open.edge);
    const StopOnDrain drain(session.worker, relay);
    const auto end = co_await relay.run();
    meter.closedWith(end.errnoName);
    session.reset = end.failed;
    session.closeErrno = end.errnoName;
}

} // namespace meshcore::proxy
