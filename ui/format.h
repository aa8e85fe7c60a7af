#pragma once

#include <QString>

#include <optional>

namespace meshscope::ui {

// "3 s", "4 min 10 s", "2 h 5 min", "3 d 4 h": durations as people read them.
QString humanDuration(qint64 milliseconds);

// Figures as people read them: "0.3 rps", "12 rps", "1.2k rps"; "99.95 %", "100 %"; "0.8 ms",
// "12 ms", "1.3 s". A missing success rate (no requests) reads "–".
QString humanRps(double rps);
QString humanPercent(std::optional<double> share);
QString humanMs(double milliseconds);

} // namespace meshscope::ui
