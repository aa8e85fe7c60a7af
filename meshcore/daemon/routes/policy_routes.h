#pragma once

#include "admin/admin_api.h"
#include "daemon/routes/admin_routes.h"
#include "telemetry/prometheus_text.h"

namespace meshcore::daemon {

// The traffic-policy endpoints: GET /api/v1/splits, GET and PUT /api/v1/split?service=NAME.
void addPolicyRoutes(admin::AdminApi &api, const AdminContext &context);

// The balancers' state at scrape time: outbound_http_balancer_endpoints (Linkerd's, by
// endpoint_state ready/pending), and per replica meshscope_balancer_endpoint_ready,
// _latency_ewma_seconds, _pending, _ejections_total; meshscope_split_weight per version.
void writePolicyMetrics(const DataPlane &dataPlane, telemetry::PrometheusText &text);

} // namespace meshcore::daemon
