#include "policy/failure_accrual.h"

#include <algorithm>

namespace meshcore::policy {

bool FailureAccrual::admissible(TimePoint now) const
{
    switch (m_state) {
    case State::Ready:
        return true;
    case State::Probing:
        return !m_probeOut;
    case State::Ejected:
        return now >= m_until;
    }
    return false;
}

bool FailureAccrual::admit(TimePoint now)
{
    if (!admissible(now))
        return false;
    if (m_state == State::Ejected)
        m_state = State::Probing;
    if (m_state == State::Probing)
        m_probeOut = true;
    return true;
}

void FailureAccrual::succeeded()
{
    m_state = State::Ready;
    m_probeOut = false;
    m_failures = 0;
    m_backoffStep = 0;
}

void FailureAccrual::failed(TimePoint now, double random01)
{
    if (m_state == State::Probing) {
        eject(now, random01); // the probe failed: out again, for longer
        return;
    }
    if (m_state == State::Ejected)
        return; // a request admitted before the ejection, finishing late
    if (++m_failures >= m_config.consecutiveFailures)
        eject(now, random01);
}

void FailureAccrual::eject(TimePoint now, double random01)
{
    // minPenalty x 2^step, capped, then jittered by +-jitter/2.
    double penaltyMs = static_cast<double>(m_config.minPenalty.count());
    for (unsigned i = 0;
         i < m_backoffStep && penaltyMs < static_cast<double>(m_config.maxPenalty.count()); ++i)
        penaltyMs *= 2;
    penaltyMs = std::min(penaltyMs, static_cast<double>(m_config.maxPenalty.count()));
    penaltyMs *= 1.0 + m_config.jitter * (random01 - 0.5);
    ++m_backoffStep;
    ++m_ejections;
    m_state = State::Ejected;
    m_probeOut = false;
    m_failures = 0;
    m_until = now
        + std::chrono::duration_cast<TimePoint::duration>(
                  std::chrono::duration<double, std::milli>(penaltyMs));
}

} // namespace meshcore::policy
