#include "ui/charts/nice_scale.h"

#include <algorithm>
#include <cmath>

namespace meshscope::ui::charts {

double niceStep(double raw)
{
    if (!(raw > 0) || !std::isfinite(raw))
        return 1;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double mantissa : {1.0, 2.0, 5.0, 10.0})
        if (mantissa * power >= raw * (1 - 1e-9))
            return mantissa * power;
    return 10 * power;
}

NiceScale niceScale(double low, double high, int maxIntervals)
{
    maxIntervals = std::max(1, maxIntervals);
    if (!std::isfinite(low) || !std::isfinite(high) || high < low)
        low = high = 0;
    if (high - low < 1e-9) // a flat line: some room above it (and below unless it is at 0)
        high = low + (std::abs(low) < 1e-9 ? 1 : std::max(1.0, std::abs(low) * 0.05));
    NiceScale scale;
    scale.step = niceStep((high - low) / maxIntervals);
    // Widening to whole steps can need one more step than asked: take the next step then.
    for (int attempt = 0; attempt < 3; ++attempt) {
        scale.min = std::floor(low / scale.step + 1e-9) * scale.step;
        scale.max = std::ceil(high / scale.step - 1e-9) * scale.step;
        if (std::lround((scale.max - scale.min) / scale.step) <= maxIntervals)
            break;
        scale.step = niceStep(scale.step * 1.5);
    }
    scale.ticks = static_cast<int>(std::lround((scale.max - scale.min) / scale.step)) + 1;
    scale.decimals
        = scale.step >= 1 ? 0 : static_cast<int>(std::ceil(-std::log10(scale.step) - 1e-9));
    return scale;
}

QList<double> roundMinuteTicks(double from, double to, int maxTicks, double *intervalMs)
{
    constexpr double Minute = 60 * 1000.0;
    double interval = 60 * Minute;
    for (const double minutes : {1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0})
        if ((to - from) / (minutes * Minute) < std::max(1, maxTicks)) {
            interval = minutes * Minute;
            break;
        }
    QList<double> ticks;
    for (double t = std::ceil(from / interval) * interval; t <= to && to > from; t += interval)
        ticks << t;
    if (intervalMs)
        *intervalMs = interval;
    return ticks;
}

} // namespace meshscope::ui::charts
