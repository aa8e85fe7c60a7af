#include "control/rollout_config.h"

#include <cmath>

namespace meshcore::control {

const char *rolloutStrategyName(RolloutStrategy strategy)
{
    switch (strategy) {
    case RolloutStrategy::Canary:
        return "canary";
    case RolloutStrategy::BlueGreen:
        return "blue-green";
    case RolloutStrategy::AB:
        return "ab";
    }
    return "canary";
}

std::optional<RolloutStrategy> rolloutStrategyFromName(std::string_view name)
{
    for (const auto strategy :
         {RolloutStrategy::Canary, RolloutStrategy::BlueGreen, RolloutStrategy::AB})
        if (name == rolloutStrategyName(strategy))
            return strategy;
    return std::nullopt;
}

namespace {

std::optional<std::string> analysisProblem(const AnalysisConfig &analysis)
{
    if (!(analysis.minSuccessRate >= 0 && analysis.minSuccessRate <= 100))
        return "the minimum success rate is a percentage from 0 to 100";
    if (analysis.maxP99Ms && !(*analysis.maxP99Ms > 0 && std::isfinite(*analysis.maxP99Ms)))
        return "the maximum p99 latency must be more than 0 ms";
    if (analysis.minRequests == 0)
        return "the minimum request count must be at least 1 (an interval with no requests "
               "proves nothing)";
    if (analysis.maxSuccessRateDrop
        && !(*analysis.maxSuccessRateDrop >= 0 && *analysis.maxSuccessRateDrop <= 100))
        return "the success-rate drop against stable is in percentage points, from 0 to 100";
    if (analysis.maxP99Ratio
        && !(*analysis.maxP99Ratio >= 1 && std::isfinite(*analysis.maxP99Ratio)))
        return "the p99 ratio against stable must be at least 1 (1 means no slower than stable)";
    if (analysis.failureThreshold == 0)
        return "the failure threshold must be at least 1 failed interval";
    if (analysis.maxHold.count() <= 0)
        return "the longest hold must be more than 0 seconds";
    return std::nullopt;
}

std::optional<std::string> trafficProblem(const AnalysisTrafficConfig &traffic)
{
    if (!traffic.enabled)
        return std::nullopt;
    if (!(traffic.rps > 0 && traffic.rps <= 1000))
        return "analysis traffic runs at more than 0 and at most 1000 requests per second";
    if (traffic.paths.empty())
        return "analysis traffic needs at least one path";
    for (const auto &path : traffic.paths)
        if (path.empty() || path.front() != '/' || path.size() > 1024)
            return "an analysis path starts with / and is at most 1024 bytes, not \"" + path + "\"";
    return std::nullopt;
}

std::optional<std::string> strategyProblem(const RolloutSpec &spec)
{
    switch (spec.strategy) {
    case RolloutStrategy::Canary:
        if (spec.stepWeight < 1 || spec.stepWeight > 100)
            return "the step weight is a percentage from 1 to 100";
        if (spec.maxWeight < spec.stepWeight || spec.maxWeight > 100)
            return "the maximum weight is a percentage from the step weight ("
                + std::to_string(spec.stepWeight) + ") to 100";
        break;
    case RolloutStrategy::AB:
        if (!spec.match || spec.match->name.empty())
            return "an A/B rollout needs a header or cookie to match";
        [[fallthrough]];
    case RolloutStrategy::BlueGreen:
        if (spec.strategy == RolloutStrategy::BlueGreen && !spec.traffic.enabled)
            return "a blue/green candidate gets only analysis traffic before promotion: enable "
                   "analysis traffic";
        if (spec.iterations < 1 || spec.iterations > 1000)
            return "the number of passing intervals is from 1 to 1000";
        break;
    }
    if (spec.match && spec.strategy != RolloutStrategy::AB)
        return "a header or cookie match is for A/B rollouts only";
    return std::nullopt;
}

} // namespace

std::optional<std::string> rolloutSpecProblem(const RolloutSpec &spec)
{
    if (spec.service.empty())
        return "a rollout names its service";
    if (spec.stable.empty() || spec.candidate.empty())
        return "a rollout names its stable and its candidate version";
    if (spec.stable == spec.candidate)
        return "the candidate must be another version than stable (both are \"" + spec.stable
            + "\")";
    if (spec.interval.count() < 1 || spec.interval > std::chrono::hours(24))
        return "the interval is from 1 second to 24 hours";
    if (spec.maxEvidenceAge.count() < 1)
        return "the longest evidence age must be more than 0 seconds";
    if (auto problem = strategyProblem(spec))
        return problem;
    if (auto problem = analysisProblem(spec.analysis))
        return problem;
    return trafficProblem(spec.traffic);
}

std::vector<unsigned> canarySchedule(const RolloutSpec &spec)
{
    std::vector<unsigned> weights;
    if (spec.stepWeight == 0)
        return weights;
    for (unsigned weight = spec.stepWeight; weight < spec.maxWeight; weight += spec.stepWeight)
        weights.push_back(weight);
    weights.push_back(spec.maxWeight);
    return weights;
}

std::chrono::seconds predictedDuration(const RolloutSpec &spec)
{
    const auto intervals = spec.strategy == RolloutStrategy::Canary
        ? canarySchedule(spec).size()
        : static_cast<std::size_t>(spec.iterations);
    return spec.interval * static_cast<long>(intervals);
}

} // namespace meshcore::control
