#include "policy/peak_ewma.h"

#include <cmath>

namespace meshcore::policy {

PeakEwma::PeakEwma(std::chrono::milliseconds defaultRtt, std::chrono::milliseconds decay,
                   TimePoint now)
    : m_decayMs(static_cast<double>(decay.count()))
    , m_estimateMs(static_cast<double>(defaultRtt.count()))
    , m_updated(now)
{
}

double PeakEwma::decayWeight(TimePoint now) const
{
    const std::chrono::duration<double, std::milli> elapsed = now - m_updated;
    return elapsed.count() <= 0 ? 1.0 : std::exp(-elapsed.count() / m_decayMs);
}

void PeakEwma::observe(std::chrono::nanoseconds rtt, TimePoint now)
{
    const double observed = std::chrono::duration<double, std::milli>(rtt).count();
    if (observed > m_estimateMs) {
        m_estimateMs = observed;
    } else {
        const double weight = decayWeight(now);
        m_estimateMs = m_estimateMs * weight + observed * (1.0 - weight);
    }
    if (now > m_updated)
        m_updated = now;
}

double PeakEwma::estimateMs(TimePoint now) const
{
    return m_estimateMs * decayWeight(now);
}

} // namespace meshcore::policy
