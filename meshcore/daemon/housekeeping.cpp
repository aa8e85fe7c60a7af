#include "daemon/housekeeping.h"

#include <chrono>
#include <map>
#include <ostream>

#include "core/clock.h"
#include "core/last_resort.h"

namespace meshcore::daemon {

Housekeeping::Housekeeping(boost::asio::io_context &io, ca::CertificateAuthority &authority,
                           DataPlane &dataPlane, control::Supervisor &supervisor,
                           control::ResourceSampler &resources, EventLog &events,
                           ConfigReloader &reloader, rollout::RolloutController &rollouts,
                           std::ostream &out, std::ostream &err)
    : m_timer(io)
    , m_resources(resources)
    , m_authority(authority)
    , m_dataPlane(dataPlane)
    , m_supervisor(supervisor)
    , m_events(events)
    , m_watch(events, dataPlane, supervisor)
    , m_reloader(reloader)
    , m_rollouts(rollouts)
    , m_out(out)
    , m_err(err)
{
}

void Housekeeping::schedule()
{
    m_timer.expires_after(std::chrono::seconds(1));
    m_timer.async_wait([this](const boost::system::error_code &ec) {
        if (ec)
            return;
        // A bug in one part must not end housekeeping (certificate renewal among it).
        runReportingExceptions(m_err, "housekeeping", [this] { tick(); });
        schedule();
    });
}

void Housekeeping::tick()
{
    if (auto reloaded = m_authority.reloadIfChanged(); !reloaded)
        report("cannot reload the CA: " + reloaded.error().message);
    else if (*reloaded) {
        m_out << "meshd: CA changed on disk, reloaded (generation " << m_authority.generation()
              << ")" << std::endl;
        m_events.add("rotation", "ca",
                     "the CA changed on disk (a 'meshd ca' verb): reloaded, generation "
                         + std::to_string(m_authority.generation()));
    }
    if (auto rotated = m_authority.rotateIssuerIfDue(); !rotated)
        report("cannot rotate the issuer: " + rotated.error().message);
    else if (*rotated) {
        m_out << "meshd: issuer rotated on schedule (generation " << m_authority.generation() << ")"
              << std::endl;
        m_events.add("rotation", "issuer",
                     "issuer rotated on schedule (generation "
                         + std::to_string(m_authority.generation()) + ")");
    }
    m_reloader.watch();
    m_dataPlane.tick();
    m_supervisor.tick();
    m_watch.tick();
    m_rollouts.tick();
    std::map<std::string, pid_t> pids;
    for (const auto &process : m_supervisor.processes())
        pids[process.pod] = process.pid;
    m_resources.sample(pids, systemClock().now());
    if (++m_ticks % 5 == 0)
        (void)m_authority.saveIssuedInventory();
}

void Housekeeping::report(const std::string &problem)
{
    // Once per distinct problem, not once a second.
    if (problem != m_lastProblem)
        m_out << "meshd: " << problem << std::endl;
    m_lastProblem = problem;
}

} // namespace meshcore::daemon
