#include "proxy/timeout.h"

#include "core/duration.h"
#include "proxy/request_context.h"

namespace meshcore::proxy {

Deadline::Deadline(const MonotonicClock &clock, std::optional<control::Millis> timeout)
    : m_clock(clock)
    , m_timeout(timeout)
{
    if (timeout)
        m_at = clock.now() + *timeout;
}

SteadyDuration Deadline::atMost(SteadyDuration wait) const
{
    if (!m_at)
        return wait;
    return std::max(SteadyDuration::zero(), std::min(wait, *m_at - m_clock.now()));
}

SteadyTime Deadline::expiry(std::chrono::seconds limit) const
{
    return std::chrono::steady_clock::now() + atMost(limit);
}

boost::asio::awaitable<void> Deadline::sleepUntilPassed() const
{
    if (m_at)
        co_await m_clock.sleepUntil(*m_at);
}

ProxyError Deadline::timedOut(const std::string &where) const
{
    return {504, "timeout",
            "request timed out after " + formatDuration(m_timeout.value_or(control::Millis(0)))
                + " (" + where + ")"};
}

} // namespace meshcore::proxy
