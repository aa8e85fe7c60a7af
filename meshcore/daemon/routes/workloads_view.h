#pragma once

#include "admin/api_types.h"
#include "daemon/routes/admin_routes.h"

namespace meshcore::daemon {

// What GET /api/v1/workloads answers: every workload of the data plane with its process (when
// meshd supervises it, with RSS and CPU when sampled) and its balancer state.
admin::WorkloadsReport workloadsOf(const AdminContext &context);

} // namespace meshcore::daemon
