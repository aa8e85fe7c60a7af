#pragma once

// A service of mesh.yaml, and its rollout, as YAML a user can `kubectl apply` to a cluster running
// Linkerd: a Gateway API HTTPRoute, a Flagger Canary, an Argo Rollout with its AnalysisTemplate.
// Each document starts with comments saying what meshd's configuration has that it cannot say.

#include <cstdint>
#include <string>
#include <vector>

#include "control/mesh_config.h"
#include "control/rollout_config.h"

namespace meshcore::kube {

struct ExportOptions {
    std::uint16_t port = 80; // the Kubernetes Services' port
    // Where the AnalysisTemplates and MetricTemplates ask (Linkerd Viz's Prometheus).
    std::string prometheus = "http://prometheus.linkerd-viz.svc.cluster.local:9090";
    std::string source {}; // the configuration file, named in the first comment
};

// One HTTPRoute per retry policy (Linkerd reads retries from the route's annotations): the
// service's, with every route that keeps its retries, then one per route that has its own.
std::string httpRouteDocuments(const control::ServiceConfig &service, const ExportOptions &options);

// The names of those HTTPRoutes: "<service>", then "<service>-<route>" for each route of its own.
std::vector<std::string> httpRouteNames(const control::ServiceConfig &service);

// A Flagger Canary (provider linkerd; the Gateway API provider and two MetricTemplates for A/B).
std::string flaggerDocuments(const control::ServiceConfig &service,
                             const control::RolloutSpec &rollout, const ExportOptions &options);

// An Argo Rollouts Rollout and its AnalysisTemplate (Prometheus, Linkerd's metrics).
std::string argoDocuments(const control::ServiceConfig &service,
                          const control::RolloutSpec &rollout, const ExportOptions &options);

} // namespace meshcore::kube
