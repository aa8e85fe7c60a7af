#include "proxy/inbound_proxy.h"

#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "proxy/http_relay.h"
#include "proxy/tls_contexts.h"

namespace meshcore::proxy {
namespace {

using tcp = asio::ip::tcp;
constexpr auto HandshakeTimeout = std::chrono::seconds(10);
constexpr auto IdleTimeout = std::chrono::seconds(60);
constexpr auto UpstreamTimeout = std::chrono::seconds(300);

asio::awaitable<void> inboundSession(tcp::socket socket, std::uint16_t workloadPort, std::shared_ptr<WorkloadTls> tls,
                                     std::shared_ptr<const ProxyTelemetry> telemetry)
{
    auto context = tls->server();
    if (!context)
        co_return; // no certificate yet: refuse by closing
    beast::ssl_stream<beast::tcp_stream> down(beast::tcp_stream(std::move(socket)), *context);
    beast::error_code ec;
    beast::get_lowest_layer(down).expires_after(HandshakeTimeout);
    co_await down.async_handshake(asio::ssl::stream_base::server, asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return; // plaintext, no certificate, another CA, expired, TLS 1.2: refused here
    const auto client = peerIdentity(down.native_handle());
    if (!client)
        co_return;
    const auto &workload = telemetry->workload;
    const telemetry::Labels common = {{"direction", "inbound"}, {"tls", "true"}, {"client_id", *client},
                                      {"namespace", workload.ns}, {"deployment", workload.deployment}, {"pod", workload.pod}};
    telemetry::Labels connectionLabels = common;
    connectionLabels.emplace_back("peer", "src");
    const ConnectionMeter meter(telemetry->metrics, connectionLabels, beast::get_lowest_layer(down).socket().native_handle());

    beast::tcp_stream up(co_await asio::this_coro::executor);
    bool connected = false;
    beast::flat_buffer downBuffer(MaxHeaderBytes + RelayChunkBytes);
    RelayChunk chunk;
    beast::flat_buffer upBuffer(MaxHeaderBytes + RelayChunkBytes);
    for (;;) {
        http::request_parser<http::buffer_body> request;
        beast::get_lowest_layer(down).expires_after(IdleTimeout);
        if (!co_await readRequestOrRefuse(down, downBuffer, request))
            break;
        auto &message = request.get();
        const unsigned version = message.version();
        const bool keepAlive = message.keep_alive();
        telemetry::Labels labels = common;
        labels.emplace_back("authority", std::string(message[http::field::host]));
        labels.emplace_back("route", matchRoute(telemetry->routes, message.method_string(), message.target()));
        RequestMeter requestMeter(*telemetry->metrics, std::move(labels));
        removeHopByHopFields(message.base());
        if (!co_await answerExpectContinue(down, message))
            break;
        message.set("l5d-client-id", *client);
        message.keep_alive(true);

        if (!connected) {
            beast::get_lowest_layer(down).expires_never();
            up.expires_after(HandshakeTimeout);
            co_await up.async_connect(tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), workloadPort),
                                      asio::redirect_error(asio::use_awaitable, ec));
            if (ec) {
                requestMeter.finished(502);
                co_await writeProxyError(down, version, http::status::bad_gateway,
                                         "workload not reachable on 127.0.0.1:" + std::to_string(workloadPort) + " (" + ec.message() + ")");
                break;
            }
            up.socket().set_option(tcp::no_delay(true), ec); // header and body go out as written
            connected = true;
        }
        beast::get_lowest_layer(down).expires_after(UpstreamTimeout);
        up.expires_after(UpstreamTimeout);
        ec = co_await relayMessage(down, downBuffer, request, up, chunk);
        if (ec)
            break;

        http::response_parser<http::buffer_body> response;
        response.body_limit(UnlimitedBody);
        if (message.method() == http::verb::head)
            response.skip(true);
        const auto responseHeader = co_await readHeader(up, upBuffer, response);
        if (responseHeader.result != HeaderResult::Ok) {
            requestMeter.finished(502);
            co_await writeProxyError(down, version, http::status::bad_gateway, "the workload sent no valid response");
            break;
        }
        requestMeter.responseHeaderArrived();
        const unsigned status = response.get().result_int();
        const bool upstreamKeepAlive = response.get().keep_alive();
        removeHopByHopFields(response.get().base());
        response.get().keep_alive(keepAlive && upstreamKeepAlive);
        ec = co_await relayMessage(up, upBuffer, response, down, chunk);
        requestMeter.finished(status);
        if (ec || !keepAlive || !upstreamKeepAlive)
            break;
    }
    up.socket().close(ec);
    beast::get_lowest_layer(down).expires_after(std::chrono::seconds(2));
    co_await down.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
}

} // namespace

Result<std::unique_ptr<InboundProxy>> InboundProxy::create(asio::io_context &io, const Address &listen,
                                                           std::uint16_t workloadPort, std::shared_ptr<WorkloadTls> tls,
                                                           ProxyTelemetry telemetry)
{
    auto shared = std::make_shared<const ProxyTelemetry>(std::move(telemetry));
    auto listener = ProxyListener::create(io, listen, [workloadPort, tls, shared](tcp::socket socket) {
        return inboundSession(std::move(socket), workloadPort, tls, shared);
    });
    if (!listener)
        return tl::unexpected(listener.error());
    auto proxy = std::unique_ptr<InboundProxy>(new InboundProxy);
    proxy->m_listener = std::move(*listener);
    return proxy;
}

} // namespace meshcore::proxy
