#include "proxy/entry.h"

#include <array>
#include <charconv>

#include "proxy/http_relay.h"
#include "proxy/opaque_outbound.h"
#include "proxy/outbound_http2.h"
#include "proxy/outbound_request.h"
#include "proxy/protocol_detect.h"
#include "proxy/unknown_destination.h"

namespace meshcore::proxy {
namespace {

using tcp = asio::ip::tcp;
constexpr auto IdleTimeout = std::chrono::seconds(60);

// The request's destination: from its target and Host, or the entry's fixed service (with the
// path the request names). On an upstream port, an absolute-form target naming another service
// is refused (a client given the port as its http_proxy), not quietly sent to the port's service.
std::optional<RequestTarget> targetOf(const OutboundHttp1::Request &request,
                                      const EntryTarget &entry, const Resolver &resolver)
{
    const auto &message = request.get();
    if (entry.service.empty())
        return splitTarget(message.target(), message[http::field::host]);
    auto target = splitTarget(message.target(), entry.service);
    if (target && target->host != entry.service
        && resolver(target->host) != resolver(entry.service))
        return std::nullopt;
    if (target)
        target->host = target->authority = entry.service;
    return target;
}

asio::awaitable<void> serveHttp1(OutboundSession &session, const EntryTarget &entry);
asio::awaitable<void> serveFixed(OutboundSession &session, const EntryTarget &entry);

// "catalog.shop:80" -> the target naming catalog.shop; null unless host:port with a port from 1
// to 65535 (RFC 9110 9.3.6).
std::optional<RequestTarget> connectTarget(std::string_view authority)
{
    const auto colon = authority.rfind(':');
    if (colon == std::string_view::npos)
        return std::nullopt;
    const auto digits = authority.substr(colon + 1);
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc() || end != digits.data() + digits.size() || port == 0 || port > 65535)
        return std::nullopt;
    auto target = splitTarget("http://" + std::string(authority) + "/", {});
    if (target)
        target->authority = target->host;
    return target;
}

// CONNECT host:port, as gRPC and Go clients send through http_proxy: the tunnel goes to the
// service `host` names (its port is not used: the mesh routes by name), and what comes through
// it is served as on that service's upstream port. A CONNECT with a body, or in any form but
// host:port, or to port 443 (TLS inside: the mesh cannot see or balance the requests), or on an
// upstream port or inside a tunnel, is refused.
asio::awaitable<void> serveConnect(OutboundSession &session, const OutboundHttp1::Request &request,
                                   const EntryTarget &entry)
{
    auto &down = session.down;
    const auto &message = request.get();
    const auto target = connectTarget(message.target());
    const bool body = message.chunked()
        || (message.has_content_length() && message[http::field::content_length] != "0");
    const bool tls = target && message.target().ends_with(":443");
    const char *problem = nullptr;
    if (!entry.service.empty())
        problem = "CONNECT inside a tunnel or on an upstream port";
    else if (!target)
        problem = "CONNECT needs a host:port target";
    else if (body)
        problem = "CONNECT with a body";
    else if (tls)
        problem = "the mesh adds mTLS itself: call http:// through it (TLS inside a tunnel is not "
                  "carried)";
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
        co_await serveFixed(session, tunnel);
}

// An entry with a fixed destination (an upstream port, a CONNECT tunnel): a `protocol: tcp`
// service is opaque from the first byte; otherwise the first bytes say what the client speaks.
asio::awaitable<void> serveFixed(OutboundSession &session, const EntryTarget &entry)
{
    const auto destination = session.shared.resolver(entry.service);
    const bool reachable = destination && !destination->endpoints.empty();
    Detected detected = Detected::Opaque;
    if (!destination || destination->protocol != control::Protocol::Tcp) {
        const Worker::IdleScope idle(session.worker, session.down.socket());
        detected = co_await detectProtocol(session.down, session.downBuffer);
    }
    if (session.worker.draining())
        co_return; // (drain shut the socket down while it waited)
    switch (detected) {
    case Detected::Http1:
        co_await serveHttp1(session, entry);
        break;
    case Detected::Http2:
        co_await serveHttp2(session, entry);
        break;
    case Detected::Opaque:
        if (reachable) {
            co_await serveOpaque(session, *destination);
        } else {
            resetOnClose(session.down.socket()); // (no way to say why in opaque TCP)
            session.reset = true;
            session.closeErrno = "EHOSTUNREACH";
        }
        break;
    case Detected::Closed:
        break;
    }
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
        const auto target = targetOf(request, entry, shared.resolver);
        if (!target) {
            // A named local, not a temporary in the co_await (GCC 12 destroys those twice).
            const std::string cause = entry.service.empty()
                ? std::string("request names no valid destination host")
                : "this port is for " + entry.service + "; the request names another destination";
            co_await writeProxyError(down, message.version(), http::status::bad_request, cause);
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
    ConnectionMeter meter(shared->telemetry.metrics, connectionLabels,
                          down.socket().native_handle());
    if (target.service.empty())
        co_await serveHttp1(session, target);
    else
        co_await serveFixed(session, target);
    meter.closedWith(session.closeErrno);
    session.pool().put(std::move(session.upstream));
    beast::error_code ec;
    if (!session.reset && !session.h2) // (HTTP/2 took the socket over: it closed it)
        down.socket().shutdown(tcp::socket::shutdown_send, ec);
}

} // namespace meshcore::proxy
