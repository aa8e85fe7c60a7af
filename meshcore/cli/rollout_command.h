#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace meshcore::cli {

// meshd rollout start|list|status|pause|resume|promote|skip|set-weight|abort|retry ...: the
// rollouts of the running meshd through the admin API (--json, status --watch).
int runRolloutVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err);

} // namespace meshcore::cli
