#pragma once

// The proxy's clock for request time: deadlines, fault delays, retry backoff, latencies. The
// layers read and sleep on it, so a test drives a request's time with ManualMonotonicClock instead
// of sleeping. Sockets keep Beast's own timers: a layer turns what is left of a deadline into a
// socket expiry (Deadline::expiry), so a deadline holds where the bytes wait.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <chrono>
#include <mutex>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

namespace meshcore::proxy {

using SteadyTime = std::chrono::steady_clock::time_point;
using SteadyDuration = std::chrono::steady_clock::duration;

// Thread: SystemMonotonicClock may be used from every worker at once; ManualMonotonicClock is for
// tests that run their sleepers on one thread (see there).
class MonotonicClock {
public:
    virtual ~MonotonicClock() = default;
    virtual SteadyTime now() const = 0;
    // Resumes the calling coroutine at `when` (at once when it is past).
    virtual boost::asio::awaitable<void> sleepUntil(SteadyTime when) const = 0;
    boost::asio::awaitable<void> sleepFor(SteadyDuration duration) const;
};

// std::chrono::steady_clock and Asio's steady timers.
class SystemMonotonicClock final : public MonotonicClock {
public:
    SteadyTime now() const override { return std::chrono::steady_clock::now(); }
    boost::asio::awaitable<void> sleepUntil(SteadyTime when) const override;
};

// The process-wide real one.
const MonotonicClock &systemMonotonicClock();

// A clock that moves only when told to. A sleeper wakes on its own executor once advance() has
// passed its time: a test advances, then runs its io_context until the sleepers have moved on.
// Thread: the sleepers' io_context runs on one thread, and advance() is called on that thread
// (advance() cancels the sleepers' timers, which Asio allows only there).
class ManualMonotonicClock final : public MonotonicClock {
public:
    explicit ManualMonotonicClock(SteadyTime start = std::chrono::steady_clock::now())
        : m_now(start)
    {
    }
    SteadyTime now() const override;
    boost::asio::awaitable<void> sleepUntil(SteadyTime when) const override;
    void advance(SteadyDuration by);
    std::size_t sleepers() const; // how many wait now

private:
    struct Sleeper {
        SteadyTime when;
        boost::asio::steady_timer *timer = nullptr;
    };
    mutable std::mutex m_mutex;
    SteadyTime m_now;
    mutable std::vector<Sleeper> m_sleepers;
};

} // namespace meshcore::proxy
