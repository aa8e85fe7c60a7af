#pragma once

#include <map>
#include <memory>
#include <string>

#include "daemon/data_plane.h"
#include "daemon/split_memory.h"
#include "demo/load_generator.h"
#include "rollout/traffic_control.h"

namespace meshcore::daemon {

// The rollouts' hold on the data plane: the destination's split and pins (found by name on each
// call, so a reload that rebuilds a balancer is followed), the per-version totals of the traffic
// stats, and one load generator per service for analysis traffic, through the analysis outbound
// with the analysis header. A split it sets is remembered (`splits`), so that where a rollout
// left it (promoted, rolled back) outlives a restart. Thread: the control thread.
class RolloutTraffic final : public rollout::TrafficControl {
public:
    RolloutTraffic(DataPlane &dataPlane, SplitMemory &splits);
    ~RolloutTraffic() override;
    // Stops all analysis traffic (before meshd drains).
    void stopAll() { m_generators.clear(); }

    Result<std::vector<control::BackendWeight>>
    split(const control::RolloutSpec &spec) const override;
    Result<void> setSplit(const control::RolloutSpec &spec,
                          const std::vector<control::BackendWeight> &split) override;
    void setPins(const control::RolloutSpec &spec,
                 const std::vector<control::VersionPin> &pins) override;
    telemetry::EdgeStats::Totals totals(const control::RolloutSpec &spec,
                                        const std::string &version) const override;
    bool ejected(const control::RolloutSpec &spec, const std::string &version) const override;
    bool serving(const control::RolloutSpec &spec) const override;
    void setAnalysisTraffic(const control::RolloutSpec &spec,
                            const std::optional<control::AnalysisTrafficConfig> &traffic) override;

private:
    Result<std::shared_ptr<const proxy::Destination>>
    destination(const control::RolloutSpec &spec) const;

    DataPlane &m_dataPlane;
    SplitMemory &m_splits;
    struct Generator {
        control::AnalysisTrafficConfig config;
        std::unique_ptr<demo::LoadGenerator> load;
    };
    std::map<std::string, Generator> m_generators; // by the service's qualified name
};

} // namespace meshcore::daemon
