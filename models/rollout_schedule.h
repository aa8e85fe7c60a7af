#pragma once

#include <QList>
#include <QPointF>

#include "rollout/rollout_status.h"

namespace meshscope::models {

// The candidate's weight as steps, for the charts: x where a weight starts, y the weight (%).

// What a rollout of `spec` plans if every interval passes: x in seconds from its start (0, one
// interval, ...), ending at 100 % when it is promoted.
QList<QPointF> plannedWeights(const meshcore::control::RolloutSpec &spec);

// What the rollout's weight did, from its transitions: x in milliseconds since the epoch, ending
// at `nowUnix` (or when it finished) with the weight it has.
QList<QPointF> weightHistory(const meshcore::rollout::RolloutStatus &status, qint64 nowUnix);

// One figure of each interval with requests, x its index: the candidate's or stable's success
// rate (%) or p99 (ms).
enum class IntervalFigure { SuccessRate, P99 };
QList<QPointF> intervalFigures(const meshcore::rollout::RolloutStatus &status, bool candidate,
                               IntervalFigure figure);

} // namespace meshscope::models
