#pragma once

// The data plane's edge statistics as the admin API's typed traffic figures: what
// GET /api/v1/routes and /api/v1/history answer, and the figures the topology is made of.

#include <chrono>
#include <optional>

#include "admin/api_types.h"
#include "core/service_key.h"
#include "daemon/data_plane.h"
#include "telemetry/traffic_stats.h"

namespace meshcore::daemon::traffic_views {

inline constexpr std::chrono::seconds DefaultWindow {30};

admin::TrafficFigures figuresOf(const telemetry::TrafficSummary &summary);
admin::TrafficFigures figuresOf(const telemetry::EdgeStats::Counts &counts,
                                std::chrono::seconds window);

// Per route of a service over the default window, with its policy and retry and timeout totals;
// with `from`, of the requests of that caller only (one edge of the topology).
admin::ServiceRoutes routesOf(const DataPlane &dataPlane, const proxy::Destination &destination,
                              const std::optional<ServiceKey> &from = std::nullopt);

// The last `range` of a service (as its callers saw it, or only `from`), in points of 10 s (5 and
// 15 minutes) or of a minute (an hour).
admin::ServiceHistory historyOf(const DataPlane &dataPlane, const proxy::Destination &destination,
                                const std::optional<ServiceKey> &from = std::nullopt,
                                telemetry::EdgeStats::Range range
                                = telemetry::EdgeStats::FifteenMinutes);

} // namespace meshcore::daemon::traffic_views
