#include "proxy/inbound_proxy.h"

#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "proxy/http_relay.h"
#include "proxy/tls_contexts.h"
#include "proxy/upstream_exchange.h"

namespace meshcore::proxy {
namespace {

using tcp = asio::ip::tcp;
constexpr auto HandshakeTimeout = std::chrono::seconds(10);
constexpr auto IdleTimeout = std::chrono::seconds(60);
constexpr auto UpstreamTimeout = std::chrono::seconds(300);

using PlainUpstream = Upstream<beast::tcp_stream>;

// What every connection of one inbound proxy shares.
struct Shared {
    std::uint16_t workloadPort = 0;
    std::shared_ptr<WorkloadTls> tls;
    ProxyTelemetry telemetry;
    std::vector<UpstreamPool<beast::tcp_stream>> pools; // one per worker, used on that worker only
};

asio::awaitable<std::string> connectWorkload(std::unique_ptr<PlainUpstream> &upstream,
                                             std::uint16_t port,
                                             std::chrono::steady_clock::time_point expiry)
{
    upstream = std::make_unique<PlainUpstream>(std::string(), co_await asio::this_coro::executor);
    beast::error_code ec;
    upstream->stream.expires_at(
        std::min(expiry, std::chrono::steady_clock::now() + HandshakeTimeout));
    co_await upstream->stream.async_connect(
        tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), port),
        asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return "workload not reachable on 127.0.0.1:" + std::to_string(port) + " ("
            + ec.message() + ")";
    upstream->socket().set_option(tcp::no_delay(true), ec); // header and body go out as written
    co_return std::string();
}

asio::awaitable<void> inboundSession(tcp::socket socket, Worker &worker,
                                     std::shared_ptr<Shared> shared)
{
    auto context = shared->tls->server();
    if (!context)
        co_return; // no certificate yet: refuse by closing
    beast::ssl_stream<beast::tcp_stream> down(beast::tcp_stream(std::move(socket)), *context);
    beast::error_code ec;
    beast::get_lowest_layer(down).expires_after(HandshakeTimeout);
    co_await down.async_handshake(asio::ssl::stream_base::server,
                                  asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return; // plaintext, no certificate, another CA, expired, TLS 1.2: refused here
    const auto client = peerIdentity(down.native_handle());
    if (!client)
        co_return;
    const auto &telemetry = shared->telemetry;
    const auto &workload = telemetry.workload;
    const telemetry::Labels common = {{"direction", "inbound"},
                                      {"tls", "true"},
                                      {"client_id", *client},
                                      {"namespace", workload.ns},
                                      {"deployment", workload.deployment},
                                      {"pod", workload.pod}};
    telemetry::Labels connectionLabels = common;
    connectionLabels.emplace_back("peer", "src");
    auto &downSocket = beast::get_lowest_layer(down).socket();
    const ConnectionMeter meter(telemetry.metrics, connectionLabels, downSocket.native_handle());

    auto &pool = shared->pools[worker.index()];
    std::unique_ptr<PlainUpstream> upstream;
    const auto connect
        = [port = shared->workloadPort](std::unique_ptr<PlainUpstream> &fresh,
                                        std::chrono::steady_clock::time_point expiry) {
              return connectWorkload(fresh, port, expiry);
          };
    beast::flat_buffer downBuffer(MaxHeaderBytes + RelayChunkBytes);
    SeriesCache<RequestSeries> series;
    std::shared_ptr<const std::vector<control::RouteConfig>>
        routes; // this connection's copy of the service's routes
    std::uint64_t routesVersion = ~std::uint64_t(0);
    while (!worker.draining()) {
        http::request_parser<http::buffer_body> request;
        beast::get_lowest_layer(down).expires_after(IdleTimeout);
        bool received = false;
        {
            const Worker::IdleScope idle(worker, downSocket);
            received = co_await readRequestOrRefuse(down, downBuffer, request);
        }
        if (!received)
            break;
        auto &message = request.get();
        const unsigned version = message.version();
        const bool keepAlive = message.keep_alive();
        const auto authority = authorityLabel(message[http::field::host]);
        if (telemetry.routes && telemetry.routes->version() != routesVersion) { // a reload changed them
            routesVersion = telemetry.routes->version();
            routes = telemetry.routes->get();
        }
        const auto route = routes ? matchRoute(*routes, message.method_string(), message.target())
                                  : std::string("default");
        auto &requestSeries
            = series.get(*telemetry.metrics, std::string(authority) + '\n' + route, [&] {
                  auto labels = common;
                  labels.emplace_back("authority", std::string(authority));
                  labels.emplace_back("route", route);
                  return labels;
              });
        RequestMeter requestMeter(requestSeries);
        removeHopByHopFields(message.base());
        if (!co_await answerExpectContinue(down, message))
            break;
        removeFieldAndLookalikes(message.base(), "l5d-client-id");
        message.set("l5d-client-id", *client);
        message.keep_alive(true);
        BodyReader body(requestFraming(message));
        const OutgoingRequest outgoing {message.method(), serializeHead(message), &body, nullptr};

        // The workload connection waits in the pool between requests, watched: one the workload
        // closed while idle (Node.js does after 5 s) is dropped there, not found dead here.
        upstream = pool.take(std::string());
        beast::get_lowest_layer(down).expires_after(UpstreamTimeout);
        std::optional<http::response_parser<http::buffer_body>> response;
        const auto forwarded
            = co_await forwardRequest(down, downBuffer, outgoing, upstream, connect, response,
                                      expiryOf(std::nullopt, UpstreamTimeout), std::nullopt);
        if (forwarded.kind == ForwardResult::RequestFailed)
            break;
        if (forwarded.kind != ForwardResult::Ok) {
            const bool malformed = forwarded.kind == ForwardResult::RequestMalformed;
            requestMeter.finished(malformed ? 400 : 502);
            // (Built before the co_await: GCC 12 double-frees a ?: temporary inside one.)
            std::string cause = forwarded.failure;
            if (forwarded.kind == ForwardResult::NoResponse)
                cause = "the workload sent no valid response: " + forwarded.failure;
            if (malformed)
                cause = "malformed request body: " + forwarded.failure;
            co_await writeProxyError(
                down, version, malformed ? http::status::bad_request : http::status::bad_gateway,
                std::move(cause));
            break;
        }
        requestMeter.responseHeaderArrived();
        const unsigned status = response->get().result_int();
        // The workload closing its connection (HTTP/1.0, "Connection: close") does not close the
        // caller's, unless the body's end is that close: the next request gets a new connection.
        const auto relayed = co_await relayResponse(
            upstream, *response, down, {version, keepAlive, worker.draining()}, message.method());
        // A body cut short counts as the failure it is for the caller; a caller that went away
        // is not the workload's failure.
        requestMeter.finished(relayed.upstreamFailed() ? 502 : status);
        if (relayed.answerable()) {
            co_await writeProxyError(down, version, http::status::bad_gateway,
                                     "the workload sent a malformed response: " + relayed.outcome.problem);
            break;
        }
        if (!relayed.complete()) {
            resetOnClose(downSocket); // the caller must not take what it got for a whole response
            co_return; // and no close_notify: that would end it cleanly
        }
        pool.put(std::move(upstream));
        if (!relayed.clientMayContinue)
            break;
    }
    pool.put(std::move(upstream));
    beast::get_lowest_layer(down).expires_after(std::chrono::seconds(2));
    co_await down.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
}

} // namespace

Result<std::unique_ptr<InboundProxy>> InboundProxy::create(Workers &workers, const Address &listen,
                                                           std::uint16_t workloadPort,
                                                           std::shared_ptr<WorkloadTls> tls,
                                                           ProxyTelemetry telemetry)
{
    auto shared = std::make_shared<Shared>();
    shared->workloadPort = workloadPort;
    shared->tls = std::move(tls);
    shared->telemetry = std::move(telemetry);
    for (unsigned i = 0; i < workers.size(); ++i)
        shared->pools.emplace_back(workers.at(i));
    auto listener
        = ProxyListener::create(workers, listen, [shared](tcp::socket socket, Worker &worker) {
              return inboundSession(std::move(socket), worker, shared);
          });
    if (!listener)
        return tl::unexpected(listener.error());
    auto proxy = std::unique_ptr<InboundProxy>(new InboundProxy);
    proxy->m_listener = std::move(*listener);
    return proxy;
}

} // namespace meshcore::proxy
