#pragma once

// The configuration as it runs now, for exporting what a user sees rather than what the file
// says: the splits set at run time (meshd split, the app's sliders, a rollout) and each
// service's rollout, whether it came from the file or from the API.

#include <vector>

#include "admin/api_types.h"
#include "client/admin_client.h"
#include "control/mesh_config.h"
#include "export/k8s_export.h"
#include "rollout/rollout_status.h"

namespace meshcore::kube {

// `config` with each service's split replaced by the one in `splits`, and its rollout by the
// service's active rollout, else its latest (from `rollouts`, as GET /api/v1/rollouts lists
// them: active first, then newest first). Services absent from `splits` keep the file's.
control::MeshConfig withLiveState(control::MeshConfig config,
                                  const std::vector<admin::SplitInfo> &splits,
                                  const std::vector<rollout::RolloutStatus> &rollouts);

// The running meshd's configuration as it runs: the file it was started with (or the demo),
// read here, with its live splits and rollouts. For `meshd export` and the app's File > Export.
Result<control::MeshConfig> runningMeshConfig(client::AdminClient &client);

// Every document of every service of `config` (HTTPRoutes, and a Flagger Canary and an Argo
// Rollout for each service with a rollout), one YAML stream.
std::string meshDocuments(const control::MeshConfig &config, const ExportOptions &options);

} // namespace meshcore::kube
