#pragma once

#include <QString>

#include "admin/api_types.h"

namespace meshscope::models {

// How a service or an edge is doing, for colours and sorting (worst last).
enum class Health { Idle, Healthy, Warning, Failing };

// Where success rates turn a service or edge yellow and red. Kiali's defaults are similar.
struct HealthThresholds {
    double warnBelow = 0.99;
    double failBelow = 0.95;
    bool operator==(const HealthThresholds &) const = default;
};

// Idle without requests in the window; else by success rate.
Health healthOf(const meshcore::admin::TrafficFigures &traffic, const HealthThresholds &thresholds);
Health worse(Health a, Health b);
QString healthName(Health health); // "idle", "healthy", "warning", "failing"

} // namespace meshscope::models
