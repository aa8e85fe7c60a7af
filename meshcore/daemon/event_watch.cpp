#include "daemon/event_watch.h"
#include "core/service_key.h"

namespace meshcore::daemon {

void EventWatch::tick()
{
    for (const auto &destination : *m_dataPlane.destinations())
        for (const auto &replica : destination->balancer->replicas()) {
            auto &seen = m_replicas[replica.pod];
            const bool ready = replica.state == policy::FailureAccrual::State::Ready;
            if (replica.ejections > seen.ejections)
                m_log.add("breaker", replica.pod,
                          "circuit breaker ejected " + replica.pod + " of "
                              + qualifiedName(destination->service, destination->ns)
                              + " after consecutive failures (ejection "
                              + std::to_string(replica.ejections) + ")");
            else if (ready && !seen.ready)
                m_log.add("breaker", replica.pod,
                          replica.pod + " answered its probe: back in the balancer");
            seen = {replica.ejections, ready};
        }
    for (const auto &process : m_supervisor.processes()) {
        auto &restarts = m_restarts[process.pod];
        if (process.restarts > restarts)
            m_log.add("restart", process.pod,
                      process.pod + " exited (status " + std::to_string(process.lastExitStatus)
                          + ") and was restarted (" + std::to_string(process.restarts) + " restart"
                          + (process.restarts == 1 ? "" : "s") + " so far)");
        restarts = process.restarts;
    }
}

} // namespace meshcore::daemon
