#pragma once

#include <chrono>

#include "control/policy_config.h"
#include "core/clock.h"

namespace meshcore::policy {

// The circuit breaker of one replica (Linkerd's failure accrual): `consecutiveFailures` failures
// in a row eject it; after a penalty one request probes it; a success restores it, a failure
// ejects it again with the penalty doubled (up to the maximum), each penalty jittered.
// Not thread-safe.
class FailureAccrual {
public:
    enum class State { Ready, Probing, Ejected };

    explicit FailureAccrual(const control::FailureAccrualConfig &config)
        : m_config(config)
    {
    }

    // Whether a request may go to the replica now. An ejected replica whose penalty has passed
    // becomes Probing and admits exactly this one request until its outcome is known.
    bool admit(TimePoint now);
    // Whether admit() would say yes, without taking the probe.
    bool admissible(TimePoint now) const;

    // The outcome of a request admitted earlier. `random01` (in [0, 1)) jitters the penalty.
    void succeeded();
    void failed(TimePoint now, double random01);
    // An admitted request that ended without telling anything about the replica (the client
    // went away): a probe it was is given back.
    void abandoned() { m_probeOut = false; }

    State state() const { return m_state; }
    unsigned ejections() const { return m_ejections; }
    TimePoint ejectedUntil() const { return m_until; }

private:
    void eject(TimePoint now, double random01);

    control::FailureAccrualConfig m_config;
    State m_state = State::Ready;
    bool m_probeOut = false;
    unsigned m_failures = 0;
    unsigned m_ejections = 0; // in total, for metrics
    unsigned m_backoffStep = 0; // penalties in a row without a success
    TimePoint m_until {};
};

} // namespace meshcore::policy
