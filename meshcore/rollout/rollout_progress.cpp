// How a rollout moves on (rollout.h): the end of an interval and its verdict, the next step,
// promotion, and the end of the rollout.
#include <algorithm>

#include "rollout/analysis.h"
#include "rollout/rollout.h"

namespace meshcore::rollout {

using control::RolloutStrategy;

void Rollout::endInterval(TrafficControl &traffic, TimePoint now)
{
    const auto &spec = m_status.spec;
    IntervalRecord interval;
    interval.index = m_status.intervals.empty() ? 1 : m_status.intervals.back().index + 1;
    interval.startUnix = m_status.intervalStartUnix;
    interval.endUnix = unixSecondsOf(now);
    interval.weight = m_status.weight;
    interval.candidate = figuresOf(traffic.totals(spec, spec.candidate).since(m_candidateAtStart));
    interval.stable = figuresOf(traffic.totals(spec, spec.stable).since(m_stableAtStart));
    auto evaluation = evaluateInterval(spec.analysis, interval.candidate, interval.stable,
                                       traffic.ejected(spec, spec.candidate));
    interval.checks = std::move(evaluation.checks);
    interval.verdict = evaluation.verdict;
    interval.summary = "interval " + std::to_string(interval.index) + " " + evaluation.summary;
    record(interval);
    startInterval(traffic, now);
    onVerdict(traffic, now, interval);
}

void Rollout::onVerdict(TrafficControl &traffic, TimePoint now, const IntervalRecord &interval)
{
    const auto &spec = m_status.spec;
    switch (interval.verdict) {
    case Verdict::Hold: {
        if (m_status.holdingSinceUnix == 0)
            m_status.holdingSinceUnix = interval.startUnix;
        const auto held = unixSecondsOf(now) - m_status.holdingSinceUnix;
        if (held >= spec.analysis.maxHold.count()) {
            finish(traffic, now, Phase::RolledBack,
                   "the step held for " + std::to_string(held) + " s with too few requests ("
                       + interval.checks.front().text + "), longer than the "
                       + std::to_string(spec.analysis.maxHold.count()) + " s allowed");
        } else if (spec.traffic.enabled && spec.traffic.whenIdle && !m_idleTraffic) {
            m_idleTraffic = true;
            traffic.setAnalysisTraffic(spec, spec.traffic);
            transition(now, m_status.phase,
                       interval.summary + "; the mesh is idle, so analysis traffic starts");
        }
        return;
    }
    case Verdict::Fail:
        m_status.holdingSinceUnix = 0;
        ++m_status.failedIntervals;
        if (m_status.failedIntervals >= spec.analysis.failureThreshold)
            finish(traffic, now, Phase::RolledBack,
                   interval.summary + " (" + std::to_string(m_status.failedIntervals) + " of "
                       + std::to_string(spec.analysis.failureThreshold)
                       + " failed intervals allowed)");
        else
            transition(now, m_status.phase,
                       interval.summary + " (" + std::to_string(m_status.failedIntervals) + " of "
                           + std::to_string(spec.analysis.failureThreshold) + " allowed)");
        return;
    case Verdict::Pass:
    case Verdict::Skipped:
        m_status.holdingSinceUnix = 0;
        ++m_status.passedIntervals;
        advance(traffic, now, interval.summary);
        return;
    }
}

void Rollout::advance(TrafficControl &traffic, TimePoint now, const std::string &why)
{
    const auto &spec = m_status.spec;
    if (spec.strategy != RolloutStrategy::Canary) {
        if (m_status.passedIntervals >= spec.iterations)
            promote(traffic, now,
                    why + "; " + std::to_string(spec.iterations) + " of "
                        + std::to_string(spec.iterations) + " intervals passed");
        else
            transition(now, m_status.phase,
                       why + " (" + std::to_string(m_status.passedIntervals) + " of "
                           + std::to_string(spec.iterations) + ")");
        return;
    }
    if (m_status.weight >= spec.maxWeight) {
        promote(traffic, now, why + "; the maximum weight is reached");
        return;
    }
    const auto from = m_status.weight;
    const auto to = std::min(from + spec.stepWeight, spec.maxWeight);
    if (auto set = setWeight(traffic, to); !set) {
        m_status.reason
            = "the weight could not move to " + std::to_string(to) + " %: " + set.error().message;
        transition(now, Phase::Paused, m_status.reason);
        return;
    }
    transition(now, m_status.phase,
               why + "; weight " + std::to_string(from) + " -> " + std::to_string(to) + " %");
}

void Rollout::promote(TrafficControl &traffic, TimePoint now, const std::string &why)
{
    if (auto set = setWeight(traffic, 100); !set) {
        m_status.reason = "the candidate could not get 100 %: " + set.error().message;
        transition(now, Phase::Paused, m_status.reason);
        return;
    }
    traffic.setPins(m_status.spec, {});
    traffic.setAnalysisTraffic(m_status.spec, std::nullopt);
    m_status.reason.clear();
    transition(now, Phase::Promoting, "promoting: " + why);
}

void Rollout::finish(TrafficControl &traffic, TimePoint now, Phase phase, const std::string &reason)
{
    std::string message = reason;
    if (phase != Phase::Succeeded) {
        if (auto set = setWeight(traffic, 0); !set)
            message += "; the split could not be set back: " + set.error().message;
    }
    traffic.setPins(m_status.spec, {});
    traffic.setAnalysisTraffic(m_status.spec, std::nullopt);
    m_status.reason = phase == Phase::Succeeded ? std::string() : message;
    m_status.finishedUnix = unixSecondsOf(now);
    m_status.holdingSinceUnix = 0;
    const char *prefix = phase == Phase::RolledBack ? "rolled back: "
        : phase == Phase::Aborted                   ? "aborted: "
                                                    : "succeeded: ";
    transition(now, phase, prefix + message);
}

void Rollout::splitChangedByHand(TrafficControl &traffic, TimePoint now, const std::string &how)
{
    if (m_status.phase != Phase::Progressing)
        return;
    m_status.reason = "paused because the split of " + m_status.name() + " was changed " + how
        + " outside the rollout; resume to hand it back to the rollout, or abort";
    m_idleTraffic = false;
    traffic.setAnalysisTraffic(m_status.spec, std::nullopt);
    transition(now, Phase::Paused, m_status.reason);
}

} // namespace meshcore::rollout
