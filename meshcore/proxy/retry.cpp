#include "proxy/retry.h"

#include <algorithm>

namespace meshcore::proxy {

RetryPolicy::RetryPolicy(const std::optional<control::RetryConfig> &config, bool idempotent,
                         policy::SharedRetryBudget &budget, Chance &chance)
    : m_config(config)
    , m_budget(budget)
    , m_chance(chance)
    , m_wanted(config && config->limit > 0 && (idempotent || config->nonIdempotent))
{
    m_budget.countRequest();
}

bool retryOn(const control::RetryConditions &on, const ForwardResult &result)
{
    switch (result.kind) {
    case ForwardResult::ConnectFailed:
    case ForwardResult::NoResponse:
    case ForwardResult::UpstreamLost:
        return on.connectFailure || on.gatewayError;
    case ForwardResult::Ok:
        return (on.serverError && result.status >= 500)
            || (on.gatewayError
                && (result.status == 502 || result.status == 503 || result.status == 504));
    default: // the client's own failures, the deadline, no replica at all: never retried
        return false;
    }
}

std::optional<SteadyDuration>
RetryPolicy::backoffAfter(unsigned attempt, const ForwardResult &result, RouteSeries &series)
{
    if (!result.failed() || !m_wanted || !retryOn(m_config->on, result))
        return std::nullopt;
    if (attempt >= m_config->limit) {
        series.retryLimitExceeded().inc();
        return std::nullopt;
    }
    if (!m_budget.allowRetry()) {
        series.retryOverflow().inc();
        return std::nullopt;
    }
    // base x 2^attempt x [0.5, 1.5)
    const double millis = static_cast<double>(m_config->backoff.count())
        * static_cast<double>(1u << std::min(attempt, 10u)) * m_chance.between(0.5, 1.5);
    return std::chrono::duration_cast<SteadyDuration>(
        std::chrono::duration<double, std::milli>(millis));
}

} // namespace meshcore::proxy
