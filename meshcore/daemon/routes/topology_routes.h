#pragma once

#include "admin/admin_api.h"
#include "daemon/routes/admin_routes.h"

namespace meshcore::daemon {

// GET /api/v1/topology[?window=30s]: services (configured, the local clients, and names called
// that no service has) and the edges between them, each with request rate, success rate and
// p50/p95/p99 latency over the window; edges also with their traffic share per destination
// version, mTLS and both identities. GET /api/v1/history?service=NAME: the last 15 minutes of
// one service in 10-second points (rps, success rate, p50/p95/p99), for charts.
void addTopologyRoutes(admin::AdminApi &api, const AdminContext &context);

} // namespace meshcore::daemon
