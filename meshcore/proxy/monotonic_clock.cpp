#include "proxy/monotonic_clock.h"

#include <algorithm>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace meshcore::proxy {

namespace asio = boost::asio;

asio::awaitable<void> MonotonicClock::sleepFor(SteadyDuration duration) const
{
    co_await sleepUntil(now() + duration);
}

asio::awaitable<void> SystemMonotonicClock::sleepUntil(SteadyTime when) const
{
    if (when <= now())
        co_return;
    asio::steady_timer timer(co_await asio::this_coro::executor, when);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

const MonotonicClock &systemMonotonicClock()
{
    static const SystemMonotonicClock clock;
    return clock;
}

SteadyTime ManualMonotonicClock::now() const
{
    const std::lock_guard lock(m_mutex);
    return m_now;
}

asio::awaitable<void> ManualMonotonicClock::sleepUntil(SteadyTime when) const
{
    asio::steady_timer timer(co_await asio::this_coro::executor, SteadyTime::max());
    {
        const std::lock_guard lock(m_mutex);
        if (when <= m_now)
            co_return;
        m_sleepers.push_back({when, &timer});
    }
    // Unlisted however the wait ends: woken by advance(), or destroyed with its io_context.
    const struct Listing {
        const ManualMonotonicClock &clock;
        const asio::steady_timer *timer;
        ~Listing()
        {
            const std::lock_guard lock(clock.m_mutex);
            std::erase_if(clock.m_sleepers, [&](const Sleeper &s) { return s.timer == timer; });
        }
    } listing {*this, &timer};
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec)); // woken by cancel()
}

void ManualMonotonicClock::advance(SteadyDuration by)
{
    const std::lock_guard lock(m_mutex);
    m_now += by;
    const auto due = std::stable_partition(m_sleepers.begin(), m_sleepers.end(),
                                           [&](const Sleeper &s) { return s.when > m_now; });
    for (auto it = due; it != m_sleepers.end(); ++it)
        it->timer->cancel();
    m_sleepers.erase(due, m_sleepers.end());
}

std::size_t ManualMonotonicClock::sleepers() const
{
    const std::lock_guard lock(m_mutex);
    return m_sleepers.size();
}

} // namespace meshcore::proxy
