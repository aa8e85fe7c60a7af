#pragma once

// What a rollout needs from the data plane, and nothing else: the service's split, pinning some
// requests to a version, the requests each version has had, and meshd's own analysis traffic.
// The daemon implements it over DataPlane (daemon/rollout_traffic.h).

#include <optional>
#include <string>
#include <vector>

#include "control/policy_config.h"
#include "control/rollout_config.h"
#include "core/result.h"
#include "telemetry/traffic_stats.h"

namespace meshcore::rollout {

using control::VersionPin;

class TrafficControl {
public:
    virtual ~TrafficControl() = default;
    // The service's split in force (every version with its weight); an error when the service
    // or one of the rollout's versions is gone.
    virtual Result<std::vector<control::BackendWeight>>
    split(const control::RolloutSpec &spec) const = 0;
    virtual Result<void> setSplit(const control::RolloutSpec &spec,
                                  const std::vector<control::BackendWeight> &split)
        = 0;
    // Replaces the service's pins (an empty list clears them).
    virtual void setPins(const control::RolloutSpec &spec, const std::vector<VersionPin> &pins) = 0;
    // Every request one version has had since meshd started (for differences).
    virtual telemetry::EdgeStats::Totals totals(const control::RolloutSpec &spec,
                                                const std::string &version) const = 0;
    // Whether every replica of `version` is ejected by its circuit breaker now (its share of the
    // split goes to the others, its pinned requests get 503: the analysis must not just wait).
    virtual bool ejected(const control::RolloutSpec &spec, const std::string &version) const = 0;
    // Whether every replica of the rollout's two versions accepts connections now (a rollout of
    // the configuration waits for it, so that workloads still starting fail no interval).
    virtual bool serving(const control::RolloutSpec &spec) const = 0;
    // Starts (or, with nothing, stops) meshd's analysis traffic to the service.
    virtual void setAnalysisTraffic(const control::RolloutSpec &spec,
                                    const std::optional<control::AnalysisTrafficConfig> &traffic)
        = 0;
};

} // namespace meshcore::rollout
