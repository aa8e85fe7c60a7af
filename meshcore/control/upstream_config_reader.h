#pragma once

// Internal to the configuration loader: the `upstreams` lists of mesh.yaml (a service's, and the
// mesh's own for local clients).

#include <vector>

#include <yaml-cpp/yaml.h>

#include "control/mesh_config.h"

namespace meshcore::control {

// Reads one list: each entry is a service name ("catalog.shop") or {service, port, env}.
// Throws yaml::ConfigProblem with the position of a problem.
std::vector<UpstreamConfig> readUpstreams(const YAML::Node &node);

// Checks every list against the whole mesh: each names a service of the mesh (not the caller
// itself); a fixed port is unique (against replicas, other upstreams and meshd's 4140 and 4191)
// and belongs to a service with one replica (each replica binds its own); the variables are
// unique per workload and not meshd's own. `root` is the document `config` was read from.
void checkUpstreams(const YAML::Node &root, const MeshConfig &config);

} // namespace meshcore::control
