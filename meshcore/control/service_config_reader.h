#pragma once

// Internal to the configuration loader: the `services` section of mesh.yaml.

#include <vector>

#include <yaml-cpp/yaml.h>

#include "control/mesh_config.h"

namespace meshcore::control {

// Reads and checks every service; throws yaml::ConfigProblem with the position of a problem.
std::vector<ServiceConfig> readServices(const YAML::Node &node);

} // namespace meshcore::control
