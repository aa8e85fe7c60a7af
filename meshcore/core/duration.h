#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/result.h"

namespace meshcore {

// Parses durations as Linkerd and Kubernetes write them: "250ms", "10s", "5m", "24h", "1h30m".
// A bare number is refused, so "10" never silently means ten milliseconds or ten seconds.
Result<std::chrono::milliseconds> parseDuration(std::string_view text);

// "1h30m", "10s", "250ms": the shortest exact form, for messages and tables.
std::string formatDuration(std::chrono::milliseconds duration);

} // namespace meshcore
