#pragma once

#include <map>
#include <string>

#include "control/supervisor.h"
#include "core/event_log.h"
#include "daemon/data_plane.h"

namespace meshcore::daemon {

// Turns state the control thread can see into events, once a second: a replica's breaker
// ejecting it or taking it back, a supervised process restarting or crash-looping.
// Thread: the control thread's.
class EventWatch {
public:
    EventWatch(EventLog &log, const DataPlane &dataPlane, const control::Supervisor &supervisor)
        : m_log(log)
        , m_dataPlane(dataPlane)
        , m_supervisor(supervisor)
    {
    }
    void tick();

private:
    struct Replica {
        unsigned ejections = 0;
        bool ready = true;
    };
    EventLog &m_log;
    const DataPlane &m_dataPlane;
    const control::Supervisor &m_supervisor;
    std::map<std::string, Replica> m_replicas; // by pod
    std::map<std::string, int> m_restarts; // by pod
};

} // namespace meshcore::daemon
