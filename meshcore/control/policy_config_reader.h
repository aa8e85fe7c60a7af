#pragma once

// Internal to the configuration loader: the traffic-policy parts of a service or route.

#include <vector>

#include <yaml-cpp/yaml.h>

#include "control/mesh_config.h"

namespace meshcore::control {

// The keys a service or a route may carry for its requests: timeout, retries, faults.
RequestPolicy readRequestPolicy(const YAML::Node &map);

RetryBudgetConfig readRetryBudget(const YAML::Node &node);
FailureAccrualConfig readFailureAccrual(const YAML::Node &node);
BalancerConfig readBalancer(const YAML::Node &node);

// `split: [{version: v1, weight: 90}, ...]`, checked against the service's versions.
std::vector<BackendWeight> readSplit(const YAML::Node &node,
                                     const std::vector<VersionConfig> &versions);

} // namespace meshcore::control
