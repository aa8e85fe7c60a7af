#pragma once

#include <QString>

#include <optional>

namespace meshscope::models {

// Figures as people read them: "0.3 rps", "12 rps", "1.2k rps"; "99.95 %", "100 %"; "0.8 ms",
// "12 ms", "1.3 s". A missing success rate (no requests) reads "–". Shared by models and views.
QString humanRps(double rps);
QString humanPercent(std::optional<double> share);
QString humanMs(double milliseconds);
// A rate of bytes: "0 B/s", "512 B/s", "8.2 kB/s", "12 MB/s" (powers of 1000, as network rates).
QString humanBytesPerSecond(double bytesPerSecond);

} // namespace meshscope::models
