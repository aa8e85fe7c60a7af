#pragma once

// Internal to the configuration loader: the `rollouts` section of mesh.yaml.

#include <vector>

#include <yaml-cpp/yaml.h>

#include "control/mesh_config.h"
#include "control/rollout_config.h"

namespace meshcore::control {

// Reads every rollout and checks it alone (rolloutSpecProblem) and against `services`: the
// service exists, both versions are among its versions, at most one rollout per service. Throws
// yaml::ConfigProblem at the node at fault.
std::vector<RolloutSpec> readRollouts(const YAML::Node &node,
                                      const std::vector<ServiceConfig> &services);

} // namespace meshcore::control
