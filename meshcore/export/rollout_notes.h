#pragma once

// What a rollout's analysis asks that Flagger and Argo Rollouts cannot, as comment lines.

#include <string>
#include <vector>

#include "control/rollout_config.h"

namespace meshcore::kube {

// `tool` names the target in the notes ("Flagger", "Argo Rollouts").
std::vector<std::string> analysisLeftOut(const control::RolloutSpec &rollout,
                                         const std::string &tool);

} // namespace meshcore::kube
