#include "export/live_state.h"

#include <algorithm>

#include "demo/demo_mesh.h"

namespace meshcore::kube {

control::MeshConfig withLiveState(control::MeshConfig config,
                                  const std::vector<admin::SplitInfo> &splits,
                                  const std::vector<rollout::RolloutStatus> &rollouts)
{
    for (auto &service : config.services) {
        const auto split = std::find_if(splits.begin(), splits.end(), [&](const auto &s) {
            return s.service == service.name && s.ns == service.ns;
        });
        if (split != splits.end()) {
            service.split.clear();
            for (const auto &backend : split->backends)
                service.split.push_back({backend.version, static_cast<unsigned>(backend.weight)});
        }
        // The first listed is the one that counts: active ones come first, then the newest.
        const auto live = std::find_if(rollouts.begin(), rollouts.end(), [&](const auto &r) {
            return r.spec.service == service.name && r.spec.ns == service.ns;
        });
        if (live == rollouts.end())
            continue;
        std::erase_if(config.rollouts, [&](const control::RolloutSpec &spec) {
            return spec.service == service.name && spec.ns == service.ns;
        });
        config.rollouts.push_back(live->spec);
    }
    return config;
}

Result<control::MeshConfig> runningMeshConfig(client::AdminClient &client)
{
    const auto info = client.version();
    if (!info)
        return makeError(info.error().code,
                         info.error().message + " (give --config FILE to export a file)");
    auto config = info->configSource == demo::DemoMeshSource
        ? control::parseMeshConfig(demo::demoMeshYaml(), demo::DemoMeshSource)
        : control::loadMeshConfigFile(info->configSource);
    if (!config)
        return config;
    const auto splits = client.splits();
    if (!splits)
        return tl::unexpected(splits.error());
    const auto rollouts = client.rollouts();
    if (!rollouts)
        return tl::unexpected(rollouts.error());
    return withLiveState(std::move(*config), *splits, *rollouts);
}

std::string meshDocuments(const control::MeshConfig &config, const ExportOptions &options)
{
    std::string text;
    for (const auto &service : config.services) {
        text += httpRouteDocuments(service, options);
        for (const auto &rollout : config.rollouts)
            if (rollout.service == service.name && rollout.ns == service.ns) {
                text += flaggerDocuments(service, rollout, options);
                text += argoDocuments(service, rollout, options);
            }
    }
    return text;
}

} // namespace meshcore::kube
