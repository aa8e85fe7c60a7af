#pragma once

#include "admin/admin_api.h"
#include "daemon/admin_routes.h"

namespace meshcore::daemon {

// GET /api/v1/topology[?window=30s]: services (configured, the local clients, and names called
// that no service has) and the edges between them, each with request rate, success rate and
// p50/p95/p99 latency over the window; edges also with their traffic share per destination
// version, mTLS and both identities.
void addTopologyRoutes(admin::AdminApi &api, const AdminContext &context);

} // namespace meshcore::daemon
