#pragma once

#include "admin/admin_api.h"
#include "daemon/routes/admin_routes.h"
#include "telemetry/prometheus_text.h"

namespace meshcore::daemon {

// The rollout endpoints: GET and POST /api/v1/rollouts (list, start), GET /api/v1/rollout
// ?service=NAME (its active or latest rollout), POST /api/v1/rollout/ACTION?service=NAME for
// pause, resume, promote, skip, set-weight ({"weight": N}), abort and retry.
void addRolloutRoutes(admin::AdminApi &api, const AdminContext &context);

// flagger_canary_status, flagger_canary_weight and flagger_canary_metric_analysis (Flagger's
// names and labels), and meshscope_rollout_check_passed per check of the last interval.
void writeRolloutMetrics(const rollout::RolloutController &rollouts,
                         telemetry::PrometheusText &text);

} // namespace meshcore::daemon
