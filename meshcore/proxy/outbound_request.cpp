#include "proxy/outbound_request.h"

#include "proxy/balance.h"
#include "proxy/fault.h"
#include "proxy/version_pin.h"

namespace meshcore::proxy {

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

} // namespace meshcore::proxy
