#pragma once

#include <QList>

namespace meshscope::ui::charts {

// A value axis people read at a glance: from `min` to `max` in steps of 1, 2 or 5 x 10^k
// ("0, 1, 2, 3, 4 rps", never "1.15, 2.3, 3.45"), `decimals` enough to tell the steps apart.
struct NiceScale {
    double min = 0;
    double max = 1;
    double step = 0.5;
    int ticks = 3; // (max - min) / step + 1
    int decimals = 1;
};

// The 1/2/5 x 10^k step at least `raw`.
double niceStep(double raw);
// The round scale over `low`..`high` with at most `maxIntervals` steps (at least 1). A scale
// from zero (rates, latencies) passes low 0; a percentage passes its lowest value and 100.
NiceScale niceScale(double low, double high, int maxIntervals);

// Time ticks on round minutes (1, 2, 5, 10, 15, 30, 60 minutes apart), in ms since the epoch,
// inside `from`..`to` (ms), as few as keep their number at most `maxTicks`; the interval in ms
// goes to `intervalMs` when given.
QList<double> roundMinuteTicks(double from, double to, int maxTicks, double *intervalMs = nullptr);

} // namespace meshscope::ui::charts
