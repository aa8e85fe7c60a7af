#pragma once

// Layer 5 of the outbound stack: retries of a failed attempt, as the route's retry policy and the
// destination's budget allow, with jittered exponential backoff, never past the deadline.
// What may be retried at all is decided before the first attempt: the codec keeps the body of
// such a request (if it is small) so it can be sent again.

#include <optional>

#include "control/policy_config.h"
#include "policy/retry_budget.h"
#include "proxy/attempt.h"
#include "proxy/chance.h"
#include "proxy/request_context.h"

namespace meshcore::proxy {

class RetryPolicy {
public:
    // Counts the request in `budget` (every request earns retries for the others).
    RetryPolicy(const std::optional<control::RetryConfig> &config, bool idempotent,
                policy::SharedRetryBudget &budget, Chance &chance);

    // Whether a failed attempt could be tried again: then the request's body must be kept.
    bool wanted() const { return m_wanted; }
    // Its body cannot be kept (chunked, or too large): it is sent once.
    void bodyNotReplayable() { m_wanted = false; }
    // After attempt `attempt` (0 is the first) ended in `result`: how long to wait before the
    // next, or nothing when `result` is final. Counts the retries the limit or budget refuse.
    std::optional<SteadyDuration> backoffAfter(unsigned attempt, const ForwardResult &result,
                                               RouteSeries &series);

private:
    const std::optional<control::RetryConfig> &m_config;
    policy::SharedRetryBudget &m_budget;
    Chance &m_chance;
    bool m_wanted = false;
};

// Whether a failed attempt matches the conditions a retry answers.
bool retryOn(const control::RetryConditions &on, const ForwardResult &result);

// Sends with `send()` (a coroutine returning a ForwardResult) until a result is final, calling
// `discard()` for each one that is retried (its response is not relayed). A backoff that would
// outlast the deadline waits for the deadline and ends the request TimedOut.
template <class Send, class Discard> // parameters by value: they live in the coroutine's frame
boost::asio::awaitable<ForwardResult> withRetries(RetryPolicy &retries, RequestContext &context,
                                                  Send send, Discard discard)
{
    for (unsigned attempt = 0;; ++attempt) {
        ForwardResult result = co_await send();
        const auto backoff = retries.backoffAfter(attempt, result, context.series);
        if (!backoff)
            co_return result;
        context.endAttempt(result.kind == ForwardResult::Ok ? result.status : 502u);
        discard();
        if (context.deadline.within(*backoff)) {
            co_await context.deadline.sleepUntilPassed();
            co_return ForwardResult {ForwardResult::TimedOut, "deadline passed during a backoff"};
        }
        co_await context.clock().sleepFor(*backoff);
        context.retrying();
    }
}

} // namespace meshcore::proxy
