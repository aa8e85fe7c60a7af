#pragma once

#include <iosfwd>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "ca/certificate_authority.h"
#include "control/resource_sampler.h"
#include "control/supervisor.h"
#include "core/event_log.h"
#include "daemon/config_reload.h"
#include "daemon/data_plane.h"
#include "daemon/event_watch.h"
#include "rollout/rollout_controller.h"

namespace meshcore::daemon {

// Once a second on the control thread: pick up CA changes made by `meshd ca` verbs, rotate the
// issuer when due, renew the sidecars' certificates, restart workloads that exited, sample their
// resources, apply the config file when it changed, move the rollouts on, and save the
// certificate inventory now and then.
class Housekeeping {
public:
    Housekeeping(boost::asio::io_context &io, ca::CertificateAuthority &authority,
                 DataPlane &dataPlane, control::Supervisor &supervisor,
                 control::ResourceSampler &resources, EventLog &events, ConfigReloader &reloader,
                 rollout::RolloutController &rollouts, std::ostream &out, std::ostream &err);
    void start() { schedule(); }
    void stop() { m_timer.cancel(); }

private:
    void schedule();
    void tick();
    void report(const std::string &problem);

    boost::asio::steady_timer m_timer;
    control::ResourceSampler &m_resources;
    ca::CertificateAuthority &m_authority;
    DataPlane &m_dataPlane;
    control::Supervisor &m_supervisor;
    EventLog &m_events;
    EventWatch m_watch;
    ConfigReloader &m_reloader;
    rollout::RolloutController &m_rollouts;
    std::ostream &m_out;
    std::ostream &m_err;
    std::string m_lastProblem;
    unsigned m_ticks = 0;
};

} // namespace meshcore::daemon
