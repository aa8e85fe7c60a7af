#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace meshcore::cli {

// meshd events [--json]: what just happened (rotations, breaker trips, restarts, split changes).
int runEventsVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err);

} // namespace meshcore::cli
