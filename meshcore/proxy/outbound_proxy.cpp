#include "proxy/outbound_proxy.h"

#include "proxy/balance.h"
#include "proxy/fault.h"
#include "proxy/outbound_http1.h"
#include "proxy/retry.h"
#include "proxy/unknown_destination.h"
#include "proxy/version_pin.h"

namespace meshcore::proxy {
namespace {

using tcp = asio::ip::tcp;
constexpr auto IdleTimeout = std::chrono::seconds(60);

// The outbound request path, one layer per step (docs/development.md, "One request"): the route
// and its policy, the metrics and the tap, the deadline, faults, retries around the balancer
// around one attempt to one endpoint, and one exit. Returns whether the connection can carry
// another request.
asio::awaitable<bool> outboundRequest(OutboundSession &session, OutboundHttp1::Request &request,
                                      const Destination &destination, const RequestTarget &target)
{
    const auto &message = request.get();
    TapRecord tap
        = session.series.tap(destination, message.method_string(), target.authority, target.path);
    RouteMatch route = matchRoute(destination, message.method_string(), target.path);
    RouteSeries &series = session.series.route(destination, route.name, target.host);
    RequestContext context(session.clock(), std::move(route), series, tap); // + the deadline
    OutboundHttp1 http1(session, request, destination, target, context);
    RetryPolicy retries(context.route.policy.retries, http1.idempotent(), *destination.retryBudget,
                        session.chance);
    if (!co_await http1.prepareHead())
        co_return false;
    if (const auto fault = co_await injectFaults(context, session.chance))
        co_return co_await http1.end(*fault);
    if (!co_await http1.keepBodyFor(retries))
        co_return false;
    const auto pins = destination.balancer->pins();
    const std::string pinned(pins ? pinnedVersion(*pins, message.base()) : std::string_view());
    const auto result = co_await withRetries(
        retries, context,
        [&] {
            return throughBalancer(
                *destination.balancer, session.clock(),
                [&](std::size_t i) { return http1.sendTo(destination.endpoints[i]); }, pinned);
        },
        [&] { http1.discard(); });
    co_return co_await http1.end(result);
}

asio::awaitable<void> outboundSession(tcp::socket socket, Worker &worker,
                                      std::shared_ptr<OutboundShared> shared)
{
    OutboundSession session(worker, *shared, std::move(socket));
    auto &down = session.down;
    telemetry::Labels connectionLabels = session.series.common();
    connectionLabels.emplace_back("peer", "src");
    connectionLabels.emplace_back("tls", "no_identity"); // the local hop from the workload is plain
    const ConnectionMeter meter(shared->telemetry.metrics, connectionLabels,
                                down.socket().native_handle());
    while (!worker.draining()) {
        OutboundHttp1::Request request;
        down.expires_after(IdleTimeout);
        bool received = false;
        {
            const Worker::IdleScope idle(worker, down.socket());
            received = co_await readRequestOrRefuse(down, session.downBuffer, request);
        }
        if (!received)
            break;
        auto &message = request.get();
        const auto target = splitTarget(message.target(), message[http::field::host]);
        if (!target) {
            co_await writeProxyError(down, message.version(), http::status::bad_request,
                                     "request names no valid destination host");
            break;
        }
        const auto destination = shared->resolver(target->host);
        if (!destination || destination->endpoints.empty()) {
            const auto cause
                = recordUnknownDestination(shared->telemetry, session.series.common(), *target,
                                           message.method_string(), destination.get());
            co_await writeProxyError(down, message.version(), http::status::service_unavailable,
                                     cause);
            break;
        }
        if (!co_await outboundRequest(session, request, *destination, *target))
            break;
    }
    session.pool().put(std::move(session.upstream));
    beast::error_code ec;
    if (!session.reset)
        down.socket().shutdown(tcp::socket::shutdown_send, ec);
}

} // namespace

Result<std::unique_ptr<OutboundProxy>>
OutboundProxy::create(Workers &workers, const Address &listen, std::shared_ptr<WorkloadTls> tls,
                      Resolver resolver, ProxyTelemetry telemetry, const MonotonicClock &clock)
{
    auto shared = std::make_shared<OutboundShared>();
    shared->tls = std::move(tls);
    shared->resolver = std::move(resolver);
    shared->telemetry = std::move(telemetry);
    shared->clock = &clock;
    for (unsigned i = 0; i < workers.size(); ++i)
        shared->pools.emplace_back(workers.at(i));
    auto listener
        = ProxyListener::create(workers, listen, [shared](tcp::socket socket, Worker &worker) {
              return outboundSession(std::move(socket), worker, shared);
          });
    if (!listener)
        return tl::unexpected(listener.error());
    // NOLINTNEXTLINE(modernize-make-unique): the constructor is private
    auto proxy = std::unique_ptr<OutboundProxy>(new OutboundProxy);
    proxy->m_listener = std::move(*listener);
    return proxy;
}

} // namespace meshcore::proxy
