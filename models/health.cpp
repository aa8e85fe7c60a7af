#include "models/health.h"

#include <algorithm>

namespace meshscope::models {

Health healthOf(const meshcore::admin::TrafficFigures &traffic, const HealthThresholds &thresholds)
{
    if (traffic.requests == 0 || !traffic.successRate)
        return Health::Idle;
    if (*traffic.successRate < thresholds.failBelow)
        return Health::Failing;
    if (*traffic.successRate < thresholds.warnBelow)
        return Health::Warning;
    return Health::Healthy;
}

Health worse(Health a, Health b)
{
    return static_cast<int>(a) > static_cast<int>(b) ? a : b;
}

QString healthName(Health health)
{
    switch (health) {
    case Health::Idle:
        return QStringLiteral("idle");
    case Health::Healthy:
        return QStringLiteral("healthy");
    case Health::Warning:
        return QStringLiteral("warning");
    case Health::Failing:
        return QStringLiteral("failing");
    }
    return {};
}

} // namespace meshscope::models
