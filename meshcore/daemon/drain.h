#pragma once

#include <chrono>
#include <iosfwd>

#include "daemon/data_plane.h"
#include "proxy/workers.h"

namespace meshcore::daemon {

// How long requests in flight get to finish when meshd stops.
inline constexpr std::chrono::milliseconds DrainDeadline {5000};

// Stops the data plane: no new connections; requests in flight get DrainDeadline to finish (said
// on `out` if some were cut off), idle connections close.
void drainDataPlane(proxy::Workers &workers, DataPlane &dataPlane, std::ostream &out);

} // namespace meshcore::daemon
