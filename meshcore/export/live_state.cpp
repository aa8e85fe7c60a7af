#include "export/live_state.h"

#include <algorithm>

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

} // namespace meshcore::kube
