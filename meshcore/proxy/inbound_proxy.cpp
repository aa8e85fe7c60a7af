#include "proxy/inbound_proxy.h"

#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "proxy/errno_name.h"
#include "proxy/h2/h2_client_pool.h"
#include "proxy/http_relay.h"
#include "proxy/inbound_fault.h"
#include "proxy/inbound_http2.h"
#include "proxy/inbound_shared.h"
#include "proxy/opaque_relay.h"
#include "proxy/route_match.h"
#include "proxy/tls_contexts.h"
#include "proxy/upstream_exchange.h"

namespace meshcore::proxy {
namespace {

using tcp = asio::ip::tcp;
constexpr auto HandshakeTimeout = std::chrono::seconds(10);
constexpr auto IdleTimeout = std::chrono::seconds(60);
constexpr auto UpstreamTimeout = std::chrono::seconds(300);
// The client's sidecar applies the service's tcp_idle_timeout; this only bounds a connection
// whose client side is gone without a word.
constexpr auto OpaqueIdleLimit = std::chrono::hours(24);

using Shared = InboundShared;
using TlsDown = beast::ssl_stream<beast::tcp_stream>;
using Request = http::request_parser<http::buffer_body>;

// One caller's connection, across its requests.
struct InboundSession {
    InboundSession(Worker &w, Shared &s, TlsDown &d, std::string identity)
        : worker(w)
        , shared(s)
        , down(d)
        , client(std::move(identity))
        , common {{"direction", "inbound"},
                  {"tls", "true"},
                  {"client_id", client},
                  {"namespace", s.telemetry.workload.ns},
                  {"deployment", s.telemetry.workload.deployment},
                  {"pod", s.telemetry.workload.pod}}
    {
    }
    tcp::socket &downSocket() { return beast::get_lowest_layer(down).socket(); }
    UpstreamPool<beast::tcp_stream> &pool() { return shared.pools[worker.index()]; }
    // The series of a request: its authority and the route of the workload's service it takes
    // (the routes as the latest reload left them).
    RequestSeries &seriesOf(const http::request_header<> &message);

    Worker &worker;
    Shared &shared;
    TlsDown &down;
    const std::string client; // the caller's identity, from its certificate
    const telemetry::Labels common;
    beast::flat_buffer downBuffer {MaxHeaderBytes + RelayChunkBytes};
    SeriesCache<RequestSeries> series;
    InboundRoutes routes;
    std::unique_ptr<PlainUpstream> upstream;
    Chance chance; // for the version's runtime fault
    bool reset = false; // a response was cut short: the connection ends with a reset
};

RequestSeries &InboundSession::seriesOf(const http::request_header<> &message)
{
    const auto authority = authorityLabel(message[http::field::host]);
    const auto route = routes.label(shared.telemetry, message.method_string(), message.target());
    return series.get(*shared.telemetry.metrics, std::string(authority) + '\n' + route, [&] {
        auto labels = common;
        labels.emplace_back("authority", std::string(authority));
        labels.emplace_back("route", route);
        return labels;
    });
}

// How an inbound request ends: the workload's response relayed, or the proxy's own answer.
// Returns whether the caller's connection can carry another request.
asio::awaitable<bool> endInbound(InboundSession &session, const ForwardResult &forwarded,
                                 RequestMeter &meter,
                                 std::optional<http::response_parser<http::buffer_body>> &response,
                                 ClientSide client, http::verb method)
{
    client.draining = session.worker.draining(); // as it is now: this may be the last response
    if (forwarded.kind == ForwardResult::RequestFailed)
        co_return false;
    if (forwarded.kind != ForwardResult::Ok) {
        const bool malformed = forwarded.kind == ForwardResult::RequestMalformed;
        meter.finished(malformed ? 400 : 502);
        // (Built before the co_await: GCC 12 double-frees a ?: temporary inside one.)
        std::string cause = forwarded.failure;
        if (forwarded.kind == ForwardResult::NoResponse)
            cause = "the workload sent no valid response: " + forwarded.failure;
        if (malformed)
            cause = "malformed request body: " + forwarded.failure;
        co_await writeProxyError(session.down, client.version,
                                 malformed ? http::status::bad_request : http::status::bad_gateway,
                                 std::move(cause));
        co_return false;
    }
    meter.responseHeaderArrived();
    const unsigned status = response->get().result_int();
    // The workload closing its connection (HTTP/1.0, "Connection: close") does not close the
    // caller's, unless the body's end is that close: the next request gets a new connection.
    const auto relayed
        = co_await relayResponse(session.upstream, *response, session.down, client, method);
    // A body cut short counts as the failure it is for the caller; a caller that went away
    // is not the workload's failure.
    meter.finished(relayed.upstreamFailed() ? 502 : status);
    if (relayed.answerable()) {
        co_await writeProxyError(session.down, client.version, http::status::bad_gateway,
                                 "the workload sent a malformed response: "
                                     + relayed.outcome.problem);
        co_return false;
    }
    if (!relayed.complete()) {
        resetOnClose(
            session.downSocket()); // the caller must not take what it got for a whole response
        session.reset = true; // and no close_notify: that would end it cleanly
        co_return false;
    }
    session.pool().put(std::move(session.upstream));
    co_return relayed.clientMayContinue;
}

// The version's runtime fault `fault` (inbound_fault.h): nothing when the request goes on to the
// workload, else whether the connection goes on.
asio::awaitable<std::optional<bool>> injectFault(InboundSession &session,
                                                 const control::FaultConfig &fault,
                                                 BodyReader &body, ClientSide client,
                                                 RequestMeter &meter, http::verb method)
{
    client.draining = session.worker.draining();
    co_return co_await injectVersionFault(
        *session.shared.faults, fault, session.chance, *session.shared.clock,
        {session.down, session.downBuffer, body, client, meter, method});
}

// The inbound request path: the route and the metrics, the version's runtime fault, the caller's
// identity told to the workload, one attempt to the workload, one exit. Returns whether the
// connection goes on.
asio::awaitable<bool> inboundRequest(InboundSession &session, Request &request)
{
    auto &message = request.get();
    const ClientSide client {message.version(), message.keep_alive()};
    RequestMeter meter(session.seriesOf(message));
    removeHopByHopFields(message.base());
    if (!co_await answerExpectContinue(session.down, message))
        co_return false;
    beast::get_lowest_layer(session.down).expires_after(UpstreamTimeout);
    BodyReader body(requestFraming(message));
    if (const auto fault = session.shared.faults->current()) { // (off: no coroutine frame)
        if (const auto answered
            = co_await injectFault(session, *fault, body, client, meter, message.method()))
            co_return *answered;
    }
    removeFieldAndLookalikes(message.base(), "l5d-client-id");
    message.set("l5d-client-id", session.client);
    message.keep_alive(true);
    const OutgoingRequest outgoing {message.method(), serializeHead(message), &body, nullptr};

    // The workload connection waits in the pool between requests, watched: one the workload
    // closed while idle (Node.js does after 5 s) is dropped there, not found dead here.
    session.upstream = session.pool().take(std::string());
    const auto connect
        = [port = session.shared.workloadPort, executor = session.down.get_executor()](
              std::unique_ptr<PlainUpstream> &fresh, SteadyTime expiry) {
              return connectWorkload(fresh, executor, port, expiry);
          };
    std::optional<http::response_parser<http::buffer_body>> response;
    const Deadline none(*session.shared.clock, std::nullopt);
    const auto forwarded
        = co_await forwardRequest(session.down, session.downBuffer, outgoing, session.upstream,
                                  connect, response, none, UpstreamTimeout);
    co_return co_await endInbound(session, forwarded, meter, response, client, message.method());
}

// A caller's opaque TCP (ALPN meshscope.tcp/1), relayed to the workload's port. Returns the
// errno name of the socket error that ended it, or "".
asio::awaitable<std::string> inboundOpaque(TlsDown &down, Worker &worker, Shared &shared)
{
    std::unique_ptr<PlainUpstream> workload;
    const auto expiry = std::chrono::steady_clock::now() + HandshakeTimeout;
    const auto failure
        = co_await connectWorkload(workload, down.get_executor(), shared.workloadPort, expiry);
    // The status the caller waits for (opaque_relay.h): 0, or the errno name's length and name.
    std::string status(1, '\0');
    if (failure.failed()) {
        const auto name = failure.errnoName.empty() ? std::string("EIO") : failure.errnoName;
        status = static_cast<char>(std::min<std::size_t>(name.size(), 255)) + name.substr(0, 255);
    }
    beast::error_code ec;
    co_await asio::async_write(down, asio::buffer(status),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (failure.failed() || ec)
        co_return failure.failed() ? failure.errnoName : errnoName(ec); // the caller closes
    beast::flat_buffer nothing; // (the caller's bytes are all still in the TLS stream)
    OpaqueRelay relay(down, nothing, workload->stream, OpaqueIdleLimit);
    const StopOnDrain drain(worker, relay);
    const auto end = co_await relay.run();
    co_return end.errnoName;
}

asio::awaitable<void> inboundSession(tcp::socket socket, Worker &worker,
                                     std::shared_ptr<Shared> shared)
{
    auto context = shared->tls->server();
    if (!context)
        co_return; // no certificate yet: refuse by closing
    TlsDown down(beast::tcp_stream(std::move(socket)), *context);
    beast::error_code ec;
    beast::get_lowest_layer(down).expires_after(HandshakeTimeout);
    co_await down.async_handshake(asio::ssl::stream_base::server,
                                  asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return; // plaintext, no certificate, another CA, expired, TLS 1.2: refused here
    auto client = peerIdentity(down.native_handle());
    if (!client)
        co_return;
    InboundSession session(worker, *shared, down, std::move(*client));
    telemetry::Labels connectionLabels = session.common;
    connectionLabels.emplace_back("peer", "src");
    std::optional<ConnectionMeter> meter(std::in_place, shared->telemetry.metrics, connectionLabels,
                                         session.downSocket().native_handle());
    const auto hop = negotiatedHopProtocol(down.native_handle());
    if (hop == HopProtocol::Tcp) {
        auto closedBy = co_await inboundOpaque(down, worker, *shared);
        meter->closedWith(std::move(closedBy));
        co_return;
    }
    if (hop == HopProtocol::Http2) {
        // The connection takes `down` over and closes it when it goes, after the meter.
        auto connection = co_await inboundHttp2(std::move(down), worker, shared, session.client,
                                                session.common);
        meter.reset();
        co_return;
    }
    while (!worker.draining()) {
        Request request;
        beast::get_lowest_layer(down).expires_after(IdleTimeout);
        bool received = false;
        {
            const Worker::IdleScope idle(worker, session.downSocket());
            received = co_await readRequestOrRefuse(down, session.downBuffer, request);
        }
        if (!received || !co_await inboundRequest(session, request))
            break;
    }
    if (session.reset)
        co_return;
    session.pool().put(std::move(session.upstream));
    meter.reset(); // before the socket's timeout may close it: the meter reads it by descriptor
    beast::get_lowest_layer(down).expires_after(std::chrono::seconds(2));
    co_await down.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
}

} // namespace

InboundShared::InboundShared() = default;
InboundShared::~InboundShared() = default;

std::string InboundRoutes::label(const ProxyTelemetry &telemetry, std::string_view method,
                                 std::string_view target)
{
    const auto &table = telemetry.routes;
    if (table && table->version() != m_version) { // a reload changed them
        m_version = table->version();
        m_routes = table->get();
    }
    return m_routes ? routeLabel(*m_routes, method, target) : std::string("default");
}

asio::awaitable<ConnectFailure> connectWorkload(std::unique_ptr<PlainUpstream> &upstream,
                                                asio::any_io_executor executor, std::uint16_t port,
                                                SteadyTime expiry)
{
    upstream = std::make_unique<PlainUpstream>(std::string(), executor);
    beast::error_code ec;
    upstream->stream.expires_at(
        std::min(expiry, std::chrono::steady_clock::now() + HandshakeTimeout));
    co_await upstream->stream.async_connect(
        tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), port),
        asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return ConnectFailure {"workload not reachable on 127.0.0.1:" + std::to_string(port)
                                      + " (" + ec.message() + ")",
                                  errnoName(ec)};
    upstream->socket().set_option(tcp::no_delay(true), ec); // header and body go out as written
    co_return ConnectFailure {};
}

Result<std::unique_ptr<InboundProxy>>
InboundProxy::create(Workers &workers, const Address &listen, std::uint16_t workloadPort,
                     std::shared_ptr<WorkloadTls> tls, ProxyTelemetry telemetry,
                     std::shared_ptr<const FaultSwitch> faults, const MonotonicClock &clock)
{
    auto shared = std::make_shared<InboundShared>();
    shared->workloadPort = workloadPort;
    shared->clock = &clock;
    shared->tls = std::move(tls);
    shared->telemetry = std::move(telemetry);
    shared->faults.emplace(std::move(faults), shared->telemetry.workload,
                           shared->telemetry.metrics);
    for (unsigned i = 0; i < workers.size(); ++i) {
        shared->pools.emplace_back(workers.at(i));
        shared->h2Pools.push_back(
            std::make_unique<h2::H2ClientPool<beast::tcp_stream>>(workers.at(i), clock));
    }
    auto listener
        = ProxyListener::create(workers, listen, [shared](tcp::socket socket, Worker &worker) {
              return inboundSession(std::move(socket), worker, shared);
          });
    if (!listener)
        return tl::unexpected(listener.error());
    // NOLINTNEXTLINE(modernize-make-unique): the constructor is private
    auto proxy = std::unique_ptr<InboundProxy>(new InboundProxy);
    proxy->m_listener = std::move(*listener);
    return proxy;
}

} // namespace meshcore::proxy
