#pragma once

// The data plane's edge statistics as the admin API's typed traffic figures: what
// GET /api/v1/routes and /api/v1/history answer, and the figures the topology is made of.

#include <chrono>

#include "admin/api_types.h"
#include "daemon/data_plane.h"
#include "telemetry/traffic_stats.h"

namespace meshcore::daemon::traffic_views {

inline constexpr std::chrono::seconds DefaultWindow {30};

admin::TrafficFigures figuresOf(const telemetry::TrafficSummary &summary);
admin::TrafficFigures figuresOf(const telemetry::EdgeStats::Counts &counts,
                                std::chrono::seconds window);

// Per route of a service over the default window, with its policy and retry and timeout totals.
admin::ServiceRoutes routesOf(const DataPlane &dataPlane, const proxy::Destination &destination);

// The last 15 minutes of a service (as its callers saw it), in 10-second points.
admin::ServiceHistory historyOf(const DataPlane &dataPlane, const proxy::Destination &destination);

} // namespace meshcore::daemon::traffic_views
