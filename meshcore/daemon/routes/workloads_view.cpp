// GET /api/v1/workloads as a typed value: each workload's sidecar, process and balancer state.
#include "daemon/routes/workloads_view.h"

#include <map>

namespace meshcore::daemon {
namespace {

const char *balancerStateName(policy::FailureAccrual::State state)
{
    switch (state) {
    case policy::FailureAccrual::State::Ready:
        return "ready";
    case policy::FailureAccrual::State::Probing:
        return "probing";
    default:
        return "ejected";
    }
}

std::vector<admin::UpstreamStatus> upstreamStatuses(const std::vector<UpstreamBinding> &bindings)
{
    std::vector<admin::UpstreamStatus> upstreams;
    upstreams.reserve(bindings.size());
    for (const auto &b : bindings)
        upstreams.push_back({b.config.service, b.config.env, b.address.toString()});
    return upstreams;
}

// One workload: its sidecar, its process (when meshd runs it) and its balancer state.
admin::WorkloadStatus workloadStatus(const AdminContext &context, const WorkloadInfo &w,
                                     const control::Supervisor::ProcessInfo *process,
                                     const policy::ReplicaStatus *replica)
{
    admin::WorkloadStatus status;
    status.pod = w.pod;
    status.service = w.service;
    status.ns = w.ns;
    status.version = w.version;
    status.identity = w.identity;
    status.port = w.port;
    status.inbound = w.inbound.toString();
    status.outbound = w.outbound.toString();
    status.upstreams = upstreamStatuses(w.upstreams);
    status.certificateSerial = w.certificateSerial;
    status.certificateNotAfterUnix = w.certificateNotAfterUnix;
    status.ready = w.ready;
    if (replica) {
        status.balancerState = balancerStateName(replica->state);
        status.latencyEwmaMs = replica->latencyEwmaMs;
        status.pending = static_cast<int>(replica->pending);
        status.ejections = static_cast<int>(replica->ejections);
    }
    if (!process)
        return status; // run by the user, not by meshd
    status.supervised = true;
    status.pid = process->pid;
    status.processState = control::Supervisor::stateName(process->state);
    status.restarts = process->restarts;
    status.lastExitStatus = process->lastExitStatus;
    status.lastError = process->lastError;
    status.log = process->log.string();
    if (const auto usage = context.resources.usage(w.pod); usage && usage->pid == process->pid) {
        status.rssKib = static_cast<double>(usage->rssKib);
        status.cpuPercent = usage->cpuPercent;
        status.rssTrendKibPerMin = usage->rssSlopeKibPerMin;
        status.rssKeepsGrowing = control::ResourceSampler::keepsGrowing(*usage);
    }
    return status;
}

} // namespace

admin::WorkloadsReport workloadsOf(const AdminContext &context)
{
    std::map<std::string, control::Supervisor::ProcessInfo> processes;
    for (auto &p : context.supervisor.processes())
        processes[p.pod] = p;
    std::map<std::string, policy::ReplicaStatus> balancers; // by pod
    for (const auto &destination : *context.dataPlane.destinations())
        for (const auto &replica : destination->balancer->replicas())
            balancers[replica.pod] = replica;
    admin::WorkloadsReport report;
    report.localOutbound = context.dataPlane.localOutbound().toString();
    report.localIdentity = context.dataPlane.localIdentity();
    report.localUpstreams = upstreamStatuses(context.dataPlane.localUpstreams());
    for (const auto &w : context.dataPlane.workloads()) {
        const auto process = processes.find(w.pod);
        const auto replica = balancers.find(w.pod);
        report.workloads.push_back(
            workloadStatus(context, w, process == processes.end() ? nullptr : &process->second,
                           replica == balancers.end() ? nullptr : &replica->second));
    }
    return report;
}

} // namespace meshcore::daemon
