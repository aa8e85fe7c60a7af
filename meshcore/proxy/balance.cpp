#include "proxy/balance.h"

namespace meshcore::proxy {

BalancedPick::~BalancedPick()
{
    if (!m_reported)
        m_balancer.abandoned(m_replica);
}

void BalancedPick::report(const ForwardResult &result, SteadyDuration rtt)
{
    m_balancer.finished(m_replica, !result.failed(), rtt);
    m_reported = true;
}

} // namespace meshcore::proxy
