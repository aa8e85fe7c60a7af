#include "proxy/request_context.h"

#include <cassert>

#include "core/service_key.h"

namespace meshcore::proxy {

RequestContext::RequestContext(const MonotonicClock &clock, RouteMatch match,
                               RouteSeries &routeSeries, TapRecord &record)
    : route(std::move(match))
    , deadline(clock, route.policy.timeout)
    , series(routeSeries)
    , tap(record)
{
    tap.route(route.name);
}

void RequestContext::responseHeaderArrived()
{
    if (m_attempt)
        m_attempt->responseHeaderArrived();
}

void RequestContext::endAttempt(unsigned status)
{
    if (m_attempt)
        m_attempt->finished(status);
    m_attempt.reset();
}

void RequestContext::retrying()
{
    ++m_retries;
    series.retries().inc();
    tap.retried();
}

void RequestContext::finish(unsigned status, std::string_view error)
{
    assert(!m_finished);
    if (m_finished)
        return;
    m_finished = true;
    series.status(status, error).inc();
    tap.answered(status, error);
    if (m_retries > 0 && status < 500 && error.empty())
        series.retrySuccesses().inc();
    endAttempt(status);
}

ProxyError proxyErrorOf(const ForwardResult &result, const RequestContext &context)
{
    switch (result.kind) {
    case ForwardResult::NoEndpoint:
        return {503, "unavailable",
                "no replica of " + qualifiedName(context.route.service, context.route.ns)
                    + " is available: all are failing (circuit open)"};
    case ForwardResult::RequestMalformed:
        return {400, "malformed-request", "malformed request body: " + result.failure};
    case ForwardResult::TimedOut:
        return context.deadline.timedOut(context.route.where());
    default:
        return {502, "unreachable", result.failure};
    }
}

} // namespace meshcore::proxy
