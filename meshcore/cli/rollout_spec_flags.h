#pragma once

// The flags of `meshd rollout start` that make a RolloutSpec.

#include <optional>
#include <string>
#include <vector>

#include "cli/args.h"
#include "control/rollout_config.h"

namespace meshcore::cli {

// --stable, --strategy, --step, --max, --interval, --iterations, --match, --min-success,
// --max-p99, --no-max-p99, --min-requests, --max-drop, --max-p99-ratio, --failures, --max-hold,
// --traffic RPS, --traffic-when-idle, --paths, --max-evidence-age.
std::vector<FlagSpec> rolloutSpecFlags();

// Fills `spec` from those flags (the rest keep RolloutSpec's defaults); the first bad value's
// message, or nothing.
std::optional<std::string> readRolloutSpec(const ParsedArgs &args, control::RolloutSpec &spec);

} // namespace meshcore::cli
