#pragma once

// What a rollout is asked to do: the `rollouts:` section of mesh.yaml, POST /api/v1/rollouts and
// the app's wizard all produce a RolloutSpec; the controller (rollout/) carries it out.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "control/policy_config.h"
#include "core/result.h"

namespace meshcore::control {

enum class RolloutStrategy {
    Canary, // the candidate's weight grows by `stepWeight` per passing interval up to `maxWeight`
    BlueGreen, // the candidate gets only analysis traffic, then all traffic after N passes
    AB, // requests matching `match` go to the candidate for N passing intervals, then all do
};

// "canary", "blue-green", "ab" (the words of the config, the API and the CLI).
const char *rolloutStrategyName(RolloutStrategy strategy);
std::optional<RolloutStrategy> rolloutStrategyFromName(std::string_view name);

// A/B: requests matching `match` (control::RequestMatch, policy_config.h) go to the candidate.

// The checks of one interval, over that interval's requests to the candidate (and to stable for
// the relative checks). An interval with fewer than `minRequests` requests holds the step.
struct AnalysisConfig {
    double minSuccessRate = 99; // percent
    std::optional<double> maxP99Ms = 500;
    unsigned minRequests = 20;
    // Relative to stable over the same interval (only when stable had `minRequests` too):
    std::optional<double> maxSuccessRateDrop; // percentage points below stable's success rate
    std::optional<double> maxP99Ratio; // times stable's p99
    unsigned failureThreshold = 2; // failed intervals (in all) that roll the candidate back
    std::chrono::seconds maxHold {300}; // holding with too few requests longer fails the rollout
    bool operator==(const AnalysisConfig &) const = default;
};

// Requests meshd itself sends to the candidate so that an idle mesh still gets an answer. They
// carry the analysis header, go to the candidate only, and never count in golden metrics.
struct AnalysisTrafficConfig {
    bool enabled = false;
    bool whenIdle = false; // with `enabled`: only once an interval held for too few requests
    double rps = 10;
    std::vector<std::string> paths {"/"};
    bool operator==(const AnalysisTrafficConfig &) const = default;
};

struct RolloutSpec {
    std::string service;
    std::string ns = "default";
    std::string stable; // the version now serving
    std::string candidate; // the version rolled out
    RolloutStrategy strategy = RolloutStrategy::Canary;
    unsigned stepWeight = 10; // canary: percent added per passing interval
    unsigned maxWeight = 50; // canary: a pass at this weight promotes
    std::chrono::seconds interval {30};
    unsigned iterations = 5; // blue/green and A/B: passing intervals before promotion
    std::optional<RequestMatch> match; // A/B only (required there)
    AnalysisConfig analysis;
    AnalysisTrafficConfig traffic;
    // After a restart, a rollout whose last evidence is older than this rolls back instead of
    // resuming.
    std::chrono::seconds maxEvidenceAge {600};
    bool operator==(const RolloutSpec &) const = default;
};

// The header meshd's analysis traffic carries (its value: "service.namespace"); requests with it
// go to the candidate and are left out of the golden metrics.
inline constexpr const char *AnalysisHeader = "l5d-meshscope-analysis";

// Why the spec cannot run as written (ranges, strategy-specific fields), or nothing. Checks the
// spec alone: whether the service and versions exist is for the caller.
std::optional<std::string> rolloutSpecProblem(const RolloutSpec &spec);

// The candidate's weights a canary walks through: step, 2 x step, ..., max (then 100).
std::vector<unsigned> canarySchedule(const RolloutSpec &spec);

// How long the rollout takes when every interval passes at once (the wizard's prediction).
std::chrono::seconds predictedDuration(const RolloutSpec &spec);

} // namespace meshcore::control
