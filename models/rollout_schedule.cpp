#include "models/rollout_schedule.h"

#include <algorithm>

namespace meshscope::models {

QList<QPointF> plannedWeights(const meshcore::control::RolloutSpec &spec)
{
    const double interval = static_cast<double>(spec.interval.count());
    QList<QPointF> points;
    if (spec.strategy == meshcore::control::RolloutStrategy::Canary) {
        const auto weights = meshcore::control::canarySchedule(spec);
        for (std::size_t i = 0; i < weights.size(); ++i)
            points.append({static_cast<double>(i) * interval, static_cast<double>(weights[i])});
    } else {
        points.append({0, 0}); // blue/green and A/B: no weighted share before promotion
    }
    points.append({static_cast<double>(meshcore::control::predictedDuration(spec).count()), 100});
    return points;
}

QList<QPointF> weightHistory(const meshcore::rollout::RolloutStatus &status, qint64 nowUnix)
{
    QList<QPointF> points;
    for (const auto &t : status.transitions) {
        const double x = static_cast<double>(t.unix) * 1000.0;
        if (!points.isEmpty() && points.last().x() == x)
            points.last().setY(t.weight); // two changes in one second: the last one counts
        else
            points.append({x, static_cast<double>(t.weight)});
    }
    const qint64 end = status.finishedUnix ? status.finishedUnix : nowUnix;
    const double endX = static_cast<double>(end) * 1000.0;
    if (!points.isEmpty() && endX > points.last().x())
        points.append({endX, static_cast<double>(status.weight)});
    return points;
}

QList<QPointF> intervalFigures(const meshcore::rollout::RolloutStatus &status, bool candidate,
                               IntervalFigure figure)
{
    QList<QPointF> points;
    for (const auto &interval : status.intervals) {
        const auto &figures = candidate ? interval.candidate : interval.stable;
        if (figures.requests == 0)
            continue;
        points.append(
            {static_cast<double>(interval.index),
             figure == IntervalFigure::SuccessRate ? figures.successRate : figures.p99Ms});
    }
    return points;
}

} // namespace meshscope::models
