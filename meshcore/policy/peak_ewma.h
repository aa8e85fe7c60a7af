#pragma once

#include <chrono>

#include "core/clock.h"

namespace meshcore::policy {

// The latency estimate of one replica, as Linkerd's balancer keeps it (peak-EWMA, after Finagle):
// a slower observation replaces the estimate at once (the peak), a faster one pulls it down
// gradually; without observations it decays toward zero over `decay`, so an idle replica that was
// slow is tried again later. Starts at `defaultRtt`. Not thread-safe.
class PeakEwma {
public:
    PeakEwma(std::chrono::milliseconds defaultRtt, std::chrono::milliseconds decay, TimePoint now);

    void observe(std::chrono::nanoseconds rtt, TimePoint now);
    // The estimate decayed to `now`, in milliseconds.
    double estimateMs(TimePoint now) const;
    // What choosing this replica costs: the estimate weighted by the requests already on it.
    double cost(TimePoint now, unsigned pending) const { return estimateMs(now) * (pending + 1); }

private:
    double decayWeight(TimePoint now) const;

    double m_decayMs;
    double m_estimateMs;
    TimePoint m_updated;
};

} // namespace meshcore::policy
