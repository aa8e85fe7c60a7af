#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace meshcore {

using TimePoint = std::chrono::system_clock::time_point;

// Whole seconds since the Unix epoch.
inline std::int64_t unixSecondsOf(TimePoint t)
{
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// Wall-clock time for everything that expires (certificates, budgets, penalties). Components take
// a Clock so tests move time instead of sleeping.
// Thread-safe: now() may be called from any thread.
class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// The process-wide real clock.
const Clock &systemClock();

// A clock that moves only when told to (tests, rehearsals).
class ManualClock final : public Clock {
public:
    explicit ManualClock(TimePoint start = std::chrono::system_clock::now())
        : m_ticks(start.time_since_epoch().count())
    {
    }
    TimePoint now() const override { return TimePoint(TimePoint::duration(m_ticks.load())); }
    void set(TimePoint t) { m_ticks = t.time_since_epoch().count(); }
    void advance(std::chrono::system_clock::duration d) { m_ticks += d.count(); }

private:
    std::atomic<TimePoint::rep> m_ticks;
};

} // namespace meshcore
