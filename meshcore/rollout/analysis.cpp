#include "rollout/analysis.h"

#include <algorithm>
#include <cstdio>

namespace meshcore::rollout {
namespace {

std::string number(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", value);
    return text;
}

CheckResult check(std::string name, double value, double threshold, bool passed, std::string text)
{
    return {std::move(name), value, threshold, passed, std::move(text)};
}

CheckResult successRateCheck(const control::AnalysisConfig &analysis, const VersionFigures &c)
{
    const bool passed = c.successRate >= analysis.minSuccessRate;
    return check("success-rate", c.successRate, analysis.minSuccessRate, passed,
                 "success rate " + number(c.successRate) + " % " + (passed ? "meets" : "is below")
                     + " the minimum " + number(analysis.minSuccessRate) + " %");
}

CheckResult latencyCheck(double maxP99Ms, const VersionFigures &c)
{
    const bool passed = c.p99Ms <= maxP99Ms;
    return check("latency-p99", c.p99Ms, maxP99Ms, passed,
                 "p99 latency " + number(c.p99Ms) + " ms " + (passed ? "is within" : "is over")
                     + " the maximum " + number(maxP99Ms) + " ms");
}

CheckResult dropCheck(double maxDrop, const VersionFigures &c, const VersionFigures &s)
{
    const double drop = s.successRate - c.successRate;
    const bool passed = drop <= maxDrop;
    return check("success-rate-vs-stable", drop, maxDrop, passed,
                 "success rate " + number(c.successRate) + " % against stable's "
                     + number(s.successRate) + " %: " + number(drop > 0 ? drop : 0)
                     + " points below, " + (passed ? "within" : "more than") + " the allowed "
                     + number(maxDrop));
}

CheckResult ratioCheck(double maxRatio, const VersionFigures &c, const VersionFigures &s)
{
    const double ratio = s.p99Ms > 0 ? c.p99Ms / s.p99Ms : 1;
    const bool passed = ratio <= maxRatio;
    return check("latency-p99-vs-stable", ratio, maxRatio, passed,
                 "p99 latency " + number(c.p99Ms) + " ms against stable's " + number(s.p99Ms)
                     + " ms: " + number(ratio) + " times, " + (passed ? "within" : "more than")
                     + " the allowed " + number(maxRatio));
}

std::string failedTexts(const std::vector<CheckResult> &checks)
{
    std::string text;
    for (const auto &c : checks)
        if (!c.passed)
            text += (text.empty() ? "" : "; ") + c.text;
    return text;
}

} // namespace

VersionFigures figuresOf(const telemetry::EdgeStats::Counts &counts)
{
    VersionFigures figures;
    figures.requests = counts.requests;
    figures.failures = counts.failures;
    telemetry::TrafficSummary summary;
    summary.requests = counts.requests;
    summary.failures = counts.failures;
    counts.percentiles(summary);
    figures.successRate = summary.successRate() * 100;
    figures.p99Ms = counts.requests ? summary.p99Ms : 0;
    return figures;
}

Evaluation evaluateInterval(const control::AnalysisConfig &analysis,
                            const VersionFigures &candidate, const VersionFigures &stable,
                            bool candidateEjected)
{
    Evaluation evaluation;
    auto &checks = evaluation.checks;
    const bool enough = candidate.requests >= analysis.minRequests;
    checks.push_back(check("request-count", static_cast<double>(candidate.requests),
                           analysis.minRequests, enough,
                           number(static_cast<double>(candidate.requests)) + " requests to the "
                               + "candidate, " + (enough ? "at least" : "fewer than") + " the "
                               + number(analysis.minRequests) + " needed"));
    if (candidateEjected)
        checks.push_back(check("candidate-available", 0, 1, false,
                               "every replica of the candidate is ejected by its circuit breaker"));
    if (!enough && !candidateEjected) {
        // The best it could have done: every missing request a success.
        const double needed = analysis.minRequests;
        const double failures = std::min(static_cast<double>(candidate.failures), needed);
        const auto best = 100.0 * (needed - failures) / needed;
        if (candidate.failures > 0 && best < analysis.minSuccessRate) {
            checks.push_back(check("success-rate", best, analysis.minSuccessRate, false,
                                   number(static_cast<double>(candidate.failures))
                                       + " failures already: at most " + number(best) + " % of the "
                                       + number(analysis.minRequests)
                                       + " requests needed can succeed, below the minimum "
                                       + number(analysis.minSuccessRate) + " %"));
            evaluation.verdict = Verdict::Fail;
            evaluation.summary = "failed: " + checks.back().text;
            return evaluation;
        }
        evaluation.verdict = Verdict::Hold;
        evaluation.summary = "held: " + checks.back().text;
        return evaluation;
    }
    if (!enough) {
        evaluation.verdict = Verdict::Fail;
        evaluation.summary = "failed: " + checks.back().text;
        return evaluation;
    }
    checks.push_back(successRateCheck(analysis, candidate));
    if (analysis.maxP99Ms)
        checks.push_back(latencyCheck(*analysis.maxP99Ms, candidate));
    const bool stableCounts = stable.requests >= analysis.minRequests;
    if (stableCounts && analysis.maxSuccessRateDrop)
        checks.push_back(dropCheck(*analysis.maxSuccessRateDrop, candidate, stable));
    if (stableCounts && analysis.maxP99Ratio)
        checks.push_back(ratioCheck(*analysis.maxP99Ratio, candidate, stable));
    const auto failed = failedTexts(checks);
    evaluation.verdict = failed.empty() ? Verdict::Pass : Verdict::Fail;
    evaluation.summary = failed.empty() ? "passed: " + checks[1].text : "failed: " + failed;
    return evaluation;
}

} // namespace meshcore::rollout
