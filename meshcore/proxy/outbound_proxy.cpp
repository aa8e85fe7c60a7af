#include "proxy/outbound_proxy.h"

#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "proxy/http_relay.h"
#include "proxy/tls_contexts.h"
#include "proxy/upstream_exchange.h"

namespace meshcore::proxy {
namespace {

using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
constexpr auto ConnectTimeout = std::chrono::seconds(10);
constexpr auto IdleTimeout = std::chrono::seconds(60);
constexpr auto ExchangeTimeout = std::chrono::seconds(300);

std::string hostWithoutPort(std::string_view authority)
{
    if (authority.starts_with('['))
        return std::string(authority.substr(0, authority.find(']') + 1));
    return std::string(authority.substr(0, authority.find(':')));
}

using TlsUpstream = Upstream<TlsStream>;

// What every connection of one outbound proxy shares. Round robin across replicas; the real
// balancer (peak-EWMA) replaces it with the traffic-policy work.
struct Shared {
    std::shared_ptr<WorkloadTls> tls;
    Resolver resolver;
    ProxyTelemetry telemetry;
    std::atomic<std::size_t> next{0};
    std::vector<UpstreamPool<TlsStream>> pools; // one per worker, used on that worker only
};

// Connects to `endpoint`'s inbound proxy and checks that it is who it must be.
asio::awaitable<std::string> connectUpstream(std::unique_ptr<TlsUpstream> &upstream, std::string key,
                                             const Endpoint &endpoint, asio::ssl::context &context)
{
    auto executor = co_await asio::this_coro::executor;
    upstream = std::make_unique<TlsUpstream>(std::move(key), beast::tcp_stream(executor), context);
    beast::error_code ec;
    auto &tcpStream = beast::get_lowest_layer(upstream->stream);
    tcpStream.expires_after(ConnectTimeout);
    co_await tcpStream.async_connect(
        tcp::endpoint(asio::ip::make_address(endpoint.inbound.host), endpoint.inbound.port),
        asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return "connection to " + endpoint.pod + " (" + endpoint.inbound.toString() + ") failed: " + ec.message();
    tcpStream.socket().set_option(tcp::no_delay(true), ec); // header and body go out as written
    co_await upstream->stream.async_handshake(asio::ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return "TLS handshake with " + endpoint.pod + " failed: " + ec.message();
    const auto identity = peerIdentity(upstream->stream.native_handle());
    if (!identity)
        co_return "TLS with " + endpoint.pod + ": " + identity.error().message;
    if (*identity != endpoint.identity)
        co_return "server identity mismatch: expected " + endpoint.identity + ", got " + *identity;
    co_return std::string();
}

asio::awaitable<void> outboundSession(tcp::socket socket, Worker &worker, std::shared_ptr<Shared> shared)
{
    beast::tcp_stream down(std::move(socket));
    const auto &workload = shared->telemetry.workload;
    const telemetry::Labels common = {{"direction", "outbound"}, {"namespace", workload.ns},
                                      {"deployment", workload.deployment}, {"pod", workload.pod}};
    telemetry::Labels connectionLabels = common;
    connectionLabels.emplace_back("peer", "src");
    connectionLabels.emplace_back("tls", "no_identity"); // the local hop from the workload is plain
    const ConnectionMeter meter(shared->telemetry.metrics, connectionLabels, down.socket().native_handle());
    auto &pool = shared->pools[worker.index()];
    beast::flat_buffer downBuffer(MaxHeaderBytes + RelayChunkBytes);
    RelayChunk chunk;
    SeriesCache series;
    std::unique_ptr<TlsUpstream> upstream;
    beast::error_code ec;
    while (!worker.draining()) {
        http::request_parser<http::buffer_body> request;
        down.expires_after(IdleTimeout);
        bool received = false;
        {
            const Worker::IdleScope idle(worker, down.socket());
            received = co_await readRequestOrRefuse(down, downBuffer, request);
        }
        if (!received)
            break;
        auto &message = request.get();
        const unsigned version = message.version();
        const bool keepAlive = message.keep_alive();
        const auto target = splitTarget(message.target(), message[http::field::host]);
        if (!target) {
            co_await writeProxyError(down, version, http::status::bad_request, "request names no destination host");
            break;
        }
        const auto destination = shared->resolver(target->host);
        if (!destination || destination->endpoints.empty()) {
            auto &unknown = series.get(*shared->telemetry.metrics, target->host, [&] {
                auto labels = common;
                labels.emplace_back("authority", target->host);
                labels.emplace_back("tls", "true");
                return labels;
            });
            RequestMeter(unknown).finished(503);
            const std::string cause = destination ? "service '" + target->host + "' has no replicas"
                                                  : "unknown service '" + target->host + "'";
            co_await writeProxyError(down, version, http::status::service_unavailable, cause);
            break;
        }
        const auto &endpoint = destination->endpoints[shared->next++ % destination->endpoints.size()];
        const auto route = matchRoute(destination->routes, message.method_string(), target->path);
        auto &requestSeries = series.get(*shared->telemetry.metrics, target->host + '\n' + endpoint.pod + '\n' + route, [&] {
            auto labels = common;
            labels.emplace_back("authority", target->host);
            labels.emplace_back("tls", "true");
            labels.emplace_back("server_id", endpoint.identity);
            labels.emplace_back("dst_namespace", destination->ns);
            labels.emplace_back("dst_service", destination->service);
            labels.emplace_back("dst_deployment", destination->service + "-" + endpoint.version);
            labels.emplace_back("dst_pod", endpoint.pod);
            labels.emplace_back("dst_serviceaccount", destination->service);
            labels.emplace_back("route", route);
            return labels;
        });
        RequestMeter requestMeter(requestSeries);
        message.target(target->path);
        // RFC 9112 3.2.2: with an absolute-form target, the Host header is the target's authority.
        message.set(http::field::host, target->authority);
        removeHopByHopFields(message.base());
        if (!co_await answerExpectContinue(down, message))
            break;
        message.erase("l5d-client-id"); // only an inbound proxy may say who called
        message.keep_alive(true);

        // This connection's upstream if it goes to the same replica, else a pooled one, else new.
        std::string key = endpoint.inbound.toString();
        if (upstream && (upstream->key != key || std::chrono::steady_clock::now() - upstream->lastUsed > UpstreamPool<TlsStream>::MaxIdle))
            pool.put(std::move(upstream));
        if (!upstream)
            upstream = pool.take(key);
        const auto connect = [&](std::unique_ptr<TlsUpstream> &fresh) -> asio::awaitable<std::string> {
            auto context = shared->tls->client();
            if (!context)
                co_return std::string("this workload has no certificate yet");
            co_return co_await connectUpstream(fresh, key, endpoint, *context);
        };
        down.expires_after(ExchangeTimeout);
        std::optional<http::response_parser<http::buffer_body>> response;
        const auto forwarded = co_await forwardRequest(down, downBuffer, request, upstream, connect, chunk, response, ExchangeTimeout);
        if (forwarded.kind == ForwardResult::RequestFailed)
            break;
        if (forwarded.kind != ForwardResult::Ok) {
            requestMeter.finished(502);
            // (Built before the co_await: GCC 12 double-frees a ?: temporary inside one.)
            std::string cause = forwarded.failure;
            if (forwarded.kind == ForwardResult::NoResponse)
                cause = "no valid response from " + endpoint.pod + ": " + forwarded.failure;
            co_await writeProxyError(down, version, http::status::bad_gateway, std::move(cause));
            break;
        }
        requestMeter.responseHeaderArrived();
        const unsigned status = response->get().result_int();
        const bool upstreamKeepAlive = response->get().keep_alive();
        removeHopByHopFields(response->get().base());
        response->get().keep_alive(keepAlive && !worker.draining());
        response->get().version(version);
        ec = co_await relayMessage(upstream->stream, upstream->buffer, *response, down, chunk);
        requestMeter.finished(status);
        if (ec || !upstreamKeepAlive)
            upstream.reset();
        else
            upstream->lastUsed = std::chrono::steady_clock::now();
        if (ec || !keepAlive)
            break;
    }
    pool.put(std::move(upstream));
    down.socket().shutdown(tcp::socket::shutdown_send, ec);
}

} // namespace

std::optional<RequestTarget> splitTarget(std::string_view target, std::string_view hostHeader)
{
    constexpr std::string_view Scheme = "http://";
    if (target.starts_with(Scheme)) {
        const auto rest = target.substr(Scheme.size());
        const auto slash = rest.find_first_of("/?");
        const auto authority = rest.substr(0, slash);
        if (authority.empty() || authority.find('@') != std::string_view::npos)
            return std::nullopt;
        std::string path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
        if (path.starts_with('?'))
            path = "/" + path;
        return RequestTarget{hostWithoutPort(authority), std::string(authority), path};
    }
    if (!target.starts_with('/') || hostHeader.empty())
        return std::nullopt;
    return RequestTarget{hostWithoutPort(hostHeader), std::string(hostHeader), std::string(target)};
}

Result<std::unique_ptr<OutboundProxy>> OutboundProxy::create(Workers &workers, const Address &listen,
                                                             std::shared_ptr<WorkloadTls> tls, Resolver resolver,
                                                             ProxyTelemetry telemetry)
{
    auto shared = std::make_shared<Shared>();
    shared->tls = std::move(tls);
    shared->resolver = std::move(resolver);
    shared->telemetry = std::move(telemetry);
    for (unsigned i = 0; i < workers.size(); ++i)
        shared->pools.emplace_back(workers.at(i));
    auto listener = ProxyListener::create(workers, listen, [shared](tcp::socket socket, Worker &worker) {
        return outboundSession(std::move(socket), worker, shared);
    });
    if (!listener)
        return tl::unexpected(listener.error());
    auto proxy = std::unique_ptr<OutboundProxy>(new OutboundProxy);
    proxy->m_listener = std::move(*listener);
    return proxy;
}

} // namespace meshcore::proxy
