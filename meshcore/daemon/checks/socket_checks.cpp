#include "daemon/checks/checks.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/loopback.h"
#include "core/proc_fd.h"
#include "core/proc_net_tcp.h"
#include "core/proc_stat.h"
#include "daemon/checks/check_building.h"

namespace meshcore::daemon::checks {

CheckResult workloadsListening(const CheckInputs &in)
{
    auto result = check("workloads-listening", "every workload listens on its port");
    std::map<std::string, const control::Supervisor::ProcessInfo *> supervised;
    const auto processes = in.supervisor->processes();
    for (const auto &p : processes)
        supervised[p.pod] = &p;
    for (const auto &w : in.dataPlane->workloads()) {
        if (loopbackPortAccepts(w.port))
            continue;
        const auto it = supervised.find(w.pod);
        const std::string where = "127.0.0.1:" + std::to_string(w.port);
        if (it == supervised.end())
            worsen(result, Status::Warn, "nothing listens on " + where + " for " + w.pod,
                   "start " + w.service + " there, behind its sidecar: meshd env " + w.pod, w.pod);
        else
            worsen(result, Status::Fail,
                   w.pod + " (pid " + std::to_string(it->second->pid) + ") does not listen on "
                       + where,
                   "read its output: " + it->second->log.string()
                       + " (is the port taken by another program?)",
                   w.pod);
    }
    return result;
}

CheckResult proxyBypass(const CheckInputs &in)
{
    auto result = check("proxy-bypass", "every workload is reached only through its inbound proxy");
    const auto sockets = tcpSockets();
    const auto own = ownSocketInodes();
    // Our ends of connections, by their local port: meshd's inbound proxies connecting out.
    std::set<std::uint16_t> ownEphemeral;
    for (const auto &s : sockets)
        if (s.state == TcpState::Established && own.contains(s.inode))
            ownEphemeral.insert(s.localPort);
    for (const auto &w : in.dataPlane->workloads()) {
        unsigned bypassing = 0;
        for (const auto &s : sockets)
            if (s.state == TcpState::Established && s.localPort == w.port && !own.contains(s.inode)
                && !ownEphemeral.contains(s.remotePort))
                ++bypassing;
        if (bypassing > 0)
            worsen(result, Status::Warn,
                   w.pod + " has " + std::to_string(bypassing) + " connection"
                       + (bypassing == 1 ? "" : "s") + " on 127.0.0.1:" + std::to_string(w.port)
                       + " that did not come through its sidecar: no mTLS, no metrics, no policy",
                   "point the callers at their sidecar (http_proxy, see meshd env SERVICE) or at "
                   "127.0.0.1:4140 instead of the workload's own port",
                   w.pod);
    }
    return result;
}

CheckResult portsInUse(const CheckInputs &in)
{
    auto result
        = check("ports-in-use", "every supervised workload's port is held by that workload");
    const auto sockets = tcpSockets();
    const auto workloads = in.dataPlane->workloads();
    for (const auto &process : in.supervisor->processes()) {
        const auto w = std::find_if(workloads.begin(), workloads.end(),
                                    [&](const WorkloadInfo &x) { return x.pod == process.pod; });
        if (w == workloads.end())
            continue;
        for (const auto &s : sockets) {
            if (s.state != TcpState::Listen || s.localPort != w->port)
                continue;
            if (process.pid != 0 && socketInodesOf(process.pid).contains(s.inode))
                break; // its own: the common case, without a walk through /proc
            const auto owner = socketOwner(s.inode);
            if (!owner || (process.pid != 0 && processGroupOf(owner->pid) == process.pid))
                continue; // its own (or one of its children), or nobody this user can see
            worsen(result, Status::Fail,
                   "127.0.0.1:" + std::to_string(w->port) + ", the port of " + w->pod
                       + ", is held by another program: " + owner->command + " (pid "
                       + std::to_string(owner->pid) + "); requests for " + w->service
                       + " reach it, not " + w->pod,
                   "stop that program, or give " + w->pod
                       + " another port (port: auto picks a free one)",
                   w->pod);
            break;
        }
    }
    return result;
}

} // namespace meshcore::daemon::checks
