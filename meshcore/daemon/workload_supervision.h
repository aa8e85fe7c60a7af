#pragma once

#include "control/supervisor.h"
#include "daemon/data_plane.h"

namespace meshcore::daemon {

// Starts the process of a workload that has a command, pointed at its own sidecar (http_proxy,
// PORT, MESHSCOPE_POD, MESHSCOPE_SERVICE); `meshd ...` commands run this meshd.
void supervise(control::Supervisor &supervisor, const WorkloadInfo &workload);

// Every workload of the data plane that has a command.
void superviseAll(control::Supervisor &supervisor, const DataPlane &dataPlane);

} // namespace meshcore::daemon
