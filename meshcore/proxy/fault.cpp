#include "proxy/fault.h"

namespace meshcore::proxy {

boost::asio::awaitable<std::optional<ProxyError>> injectFaults(RequestContext &context,
                                                               Chance &chance)
{
    const auto &faults = context.route.policy.faults;
    if (!faults)
        co_return std::nullopt;
    if (chance.percent(faults->delayPercent)) {
        context.series.faultInjected("delay").inc();
        co_await context.clock().sleepFor(context.deadline.atMost(faults->delay));
        if (context.deadline.passed())
            co_return context.deadline.timedOut(context.route.where());
    }
    if (chance.percent(faults->abortPercent)) {
        context.series.faultInjected("abort").inc();
        co_return ProxyError {faults->abortStatus, "fault",
                              "fault injected: abort (" + context.route.where() + ")"};
    }
    co_return std::nullopt;
}

} // namespace meshcore::proxy
