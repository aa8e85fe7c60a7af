#pragma once

// A data plane for the rollout state machine's tests: a split, pins and per-version request
// counts in memory, which the test feeds as traffic would.

#include <map>

#include "rollout/traffic_control.h"

namespace rollout_test {

using meshcore::Result;
using meshcore::control::BackendWeight;
using meshcore::control::RolloutSpec;
using meshcore::telemetry::EdgeStats;

class TrafficDouble final : public meshcore::rollout::TrafficControl {
public:
    std::vector<BackendWeight> splitNow {{"v1", 90}, {"v2", 10}};
    std::vector<meshcore::rollout::VersionPin> pins;
    std::optional<meshcore::control::AnalysisTrafficConfig> analysisTraffic;
    std::map<std::string, EdgeStats::Totals> totalsOf;
    bool serviceGone = false;
    bool versionsServing = true;
    std::string ejectedVersion; // every replica of it ejected

    // `requests` to `version`, `failures` of them failed, all with `latencyMs`.
    void serve(const std::string &version, unsigned requests, unsigned failures = 0,
               double latencyMs = 5)
    {
        auto &t = totalsOf[version];
        t.requests += requests;
        t.failures += failures;
        t.latency[EdgeStats::bucketOf(latencyMs)] += requests;
    }
    unsigned weightOf(const std::string &version) const
    {
        for (const auto &b : splitNow)
            if (b.version == version)
                return b.weight;
        return 0;
    }

    Result<std::vector<BackendWeight>> split(const RolloutSpec &) const override
    {
        if (serviceGone)
            return meshcore::makeError(meshcore::ErrorCode::NotFound, "no service \"web\"");
        return splitNow;
    }
    Result<void> setSplit(const RolloutSpec &, const std::vector<BackendWeight> &split) override
    {
        if (serviceGone)
            return meshcore::makeError(meshcore::ErrorCode::NotFound, "no service \"web\"");
        splitNow = split;
        return {};
    }
    void setPins(const RolloutSpec &, const std::vector<meshcore::rollout::VersionPin> &p) override
    {
        pins = p;
    }
    EdgeStats::Totals totals(const RolloutSpec &, const std::string &version) const override
    {
        const auto it = totalsOf.find(version);
        return it == totalsOf.end() ? EdgeStats::Totals {} : it->second;
    }
    bool serving(const RolloutSpec &) const override { return versionsServing; }
    bool ejected(const RolloutSpec &, const std::string &version) const override
    {
        return version == ejectedVersion;
    }
    void
    setAnalysisTraffic(const RolloutSpec &,
                       const std::optional<meshcore::control::AnalysisTrafficConfig> &t) override
    {
        analysisTraffic = t;
    }
};

inline RolloutSpec canarySpec()
{
    RolloutSpec spec;
    spec.service = "web";
    spec.ns = "default";
    spec.stable = "v1";
    spec.candidate = "v2";
    spec.stepWeight = 10;
    spec.maxWeight = 30;
    spec.interval = std::chrono::seconds(10);
    spec.analysis.minRequests = 10;
    spec.analysis.minSuccessRate = 99;
    spec.analysis.maxP99Ms = 100;
    spec.analysis.failureThreshold = 2;
    spec.analysis.maxHold = std::chrono::seconds(60);
    return spec;
}

} // namespace rollout_test
