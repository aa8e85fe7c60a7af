#include "daemon/workload_supervision.h"
#include "core/service_key.h"

#include "core/proc_table.h"

namespace meshcore::daemon {

void supervise(control::Supervisor &supervisor, const WorkloadInfo &workload)
{
    if (workload.replica.command.empty())
        return; // the user runs it
    auto env = workload.replica.env;
    env["http_proxy"] = env["HTTP_PROXY"] = "http://" + workload.outbound.toString();
    env["no_proxy"] = env["NO_PROXY"] = "127.0.0.1,localhost,::1";
    env["PORT"] = std::to_string(workload.port); // the one picked for `port: auto`
    env["MESHSCOPE_POD"] = workload.pod;
    env["MESHSCOPE_SERVICE"] = qualifiedName(workload.service, workload.ns);
    for (const auto &upstream : workload.upstreams) // CATALOG_ADDR=127.0.0.1:15001
        env[upstream.config.env] = upstream.address.toString();
    auto command = workload.replica.command;
    if (command.front() == "meshd")
        command.front()
            = selfExecutable("meshd"); // so `command: [meshd, ...]` needs no meshd on $PATH
    supervisor.add({workload.pod, command, env});
}

void superviseAll(control::Supervisor &supervisor, const DataPlane &dataPlane)
{
    for (const auto &workload : dataPlane.workloads())
        supervise(supervisor, workload);
}

} // namespace meshcore::daemon
