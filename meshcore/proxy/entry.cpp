#include "proxy/entry.h"

#include "proxy/http_relay.h"
#include "proxy/outbound_request.h"
#include "proxy/unknown_destination.h"

namespace meshcore::proxy {
namespace {

using tcp = asio::ip::tcp;
constexpr auto IdleTimeout = std::chrono::seconds(60);

// The request's destination: from its target and Host, or the entry's fixed service (with the
// path the request names).
std::optional<RequestTarget> targetOf(const OutboundHttp1::Request &request,
                                      const EntryTarget &entry)
{
    const auto &message = request.get();
    if (entry.service.empty())
        return splitTarget(message.target(), message[http::field::host]);
    auto target = splitTarget(message.target(), entry.service);
    if (target)
        target->host = target->authority = entry.service;
    return target;
}

asio::awaitable<void> serveHttp1(OutboundSession &session, const EntryTarget &entry);

// "catalog.shop:80" -> the target naming catalog.shop; null unless host:port (RFC 9110 9.3.6).
std::optional<RequestTarget> connectTarget(std::string_view authority)
{
    const auto colon = authority.rfind(':');
    if (colon == std::string_view::npos || colon + 1 == authority.size()
        || authority.find_first_not_of("0123456789", colon + 1) != std::string_view::npos
        || authority.size() - colon - 1 > 5)
        return std::nullopt;
    auto target = splitTarget("http://" + std::string(authority) + "/", {});
    if (target)
        target->authority = target->host;
    return target;
}

// CONNECT host:port, as gRPC and Go clients send through http_proxy: the tunnel goes to the
// service `host` names (its port is not used: the mesh routes by name), and what comes through
// it is served as on that service's upstream port. A CONNECT with a body, or in any form but
// host:port, or on an upstream port or inside a tunnel, is refused.
asio::awaitable<void> serveConnect(OutboundSession &session, const OutboundHttp1::Request &request,
                                   const EntryTarget &entry)
{
    auto &down = session.down;
    const auto &message = request.get();
    const auto target = connectTarget(message.target());
    const char *problem = !entry.service.empty() ? "CONNECT inside a tunnel or on an upstream port"
        : !target                                ? "CONNECT needs a host:port target"
        : message.has_content_length() || message.chunked() ? "CONNECT with a body"
                                                            : nullptr;
    if (problem) {
        co_await writeProxyError(down, message.version(), http::status::bad_request, problem);
        co_return;
    }
    const auto destination = session.shared.resolver(target->host);
    if (!destination || destination->endpoints.empty()) {
        const auto cause
            = recordUnknownDestination(session.shared.telemetry, session.series.common(), *target,
                                       message.method_string(), destination.get());
        co_await writeProxyError(down, message.version(), http::status::service_unavailable, cause);
        co_return;
    }
    static constexpr std::string_view Established = "HTTP/1.1 200 Connection established\r\n\r\n";
    beast::error_code ec;
    co_await asio::async_write(down, asio::buffer(Established),
                               asio::redirect_error(asio::use_awaitable, ec));
    // A named local, not a temporary: GCC 12 destroys a temporary in a co_await's arguments twice.
    const EntryTarget tunnel {target->host};
    if (!ec)
        co_await serveHttp1(session, tunnel);
}

// HTTP/1 requests, one after another, each through outboundRequest().
asio::awaitable<void> serveHttp1(OutboundSession &session, const EntryTarget &entry)
{
    auto &down = session.down;
    auto &shared = session.shared;
    while (!session.worker.draining()) {
        OutboundHttp1::Request request;
        down.expires_after(IdleTimeout);
        bool received = false;
        {
            const Worker::IdleScope idle(session.worker, down.socket());
            received = co_await readRequestOrRefuse(down, session.downBuffer, request);
        }
        if (!received)
            break;
        auto &message = request.get();
        if (message.method() == http::verb::connect) {
            co_await serveConnect(session, request, entry);
            break;
        }
        const auto target = targetOf(request, entry);
        if (!target) {
            co_await writeProxyError(down, message.version(), http::status::bad_request,
                                     "request names no valid destination host");
            break;
        }
        const auto destination = shared.resolver(target->host);
        if (!destination || destination->endpoints.empty()) {
            const auto cause
                = recordUnknownDestination(shared.telemetry, session.series.common(), *target,
                                           message.method_string(), destination.get());
            co_await writeProxyError(down, message.version(), http::status::service_unavailable,
                                     cause);
            break;
        }
        if (!co_await outboundRequest(session, request, *destination, *target))
            break;
    }
}

} // namespace

asio::awaitable<void> serveEntry(tcp::socket socket, Worker &worker,
                                 std::shared_ptr<OutboundShared> shared, EntryTarget target)
{
    OutboundSession session(worker, *shared, std::move(socket));
    auto &down = session.down;
    telemetry::Labels connectionLabels = session.series.common();
    connectionLabels.emplace_back("peer", "src");
    connectionLabels.emplace_back("tls", "no_identity"); // the local hop from the workload is plain
    const ConnectionMeter meter(shared->telemetry.metrics, connectionLabels,
                                down.socket().native_handle());
    co_await serveHttp1(session, target);
    session.pool().put(std::move(session.upstream));
    beast::error_code ec;
    if (!session.reset)
        down.socket().shutdown(tcp::socket::shutdown_send, ec);
}

} // namespace meshcore::proxy
