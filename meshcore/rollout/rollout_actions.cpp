// The manual actions on a rollout and its recovery after a restart of meshd (rollout.h).
#include "rollout/rollout.h"

namespace meshcore::rollout {
namespace {

using control::RolloutStrategy;

} // namespace

Result<void> Rollout::refuseUnless(bool applies, Action action, const char *which) const
{
    if (applies)
        return {};
    return makeError(ErrorCode::Busy,
                     std::string("the rollout of ") + m_status.name() + " is "
                         + phaseName(m_status.phase) + "; \"" + actionName(action)
                         + "\" applies only to " + which + " rollouts");
}

Result<void> Rollout::act(Action action, TrafficControl &traffic, TimePoint now,
                          std::optional<unsigned> weight)
{
    const auto phase = m_status.phase;
    const bool running = phase == Phase::Progressing || phase == Phase::Paused;
    switch (action) {
    case Action::Pause:
        if (auto refused = refuseUnless(phase == Phase::Progressing, action, "progressing");
            !refused)
            return refused;
        m_status.reason = "paused by the user";
        m_idleTraffic = false;
        traffic.setAnalysisTraffic(m_status.spec, std::nullopt);
        transition(now, Phase::Paused,
                   "paused by the user at " + std::to_string(m_status.weight) + " %");
        return {};
    case Action::Resume: {
        if (auto refused = refuseUnless(phase == Phase::Paused, action, "paused"); !refused)
            return refused;
        m_status.phase = Phase::Progressing;
        if (auto applied = apply(traffic, now); !applied) {
            m_status.phase = Phase::Paused;
            return applied;
        }
        m_status.reason.clear();
        transition(now, Phase::Progressing,
                   "resumed by the user at " + std::to_string(m_status.weight) + " %");
        return {};
    }
    case Action::Promote:
        if (auto refused = refuseUnless(running, action, "progressing or paused"); !refused)
            return refused;
        promote(traffic, now, "promoted by the user");
        return m_status.phase == Phase::Promoting ? Result<void> {}
                                                  : makeError(ErrorCode::Internal, m_status.reason);
    case Action::Skip: {
        if (auto refused = refuseUnless(running, action, "progressing or paused"); !refused)
            return refused;
        IntervalRecord skipped;
        skipped.index = m_status.intervals.empty() ? 1 : m_status.intervals.back().index + 1;
        skipped.startUnix = m_status.intervalStartUnix;
        skipped.endUnix = unixSecondsOf(now);
        skipped.weight = m_status.weight;
        skipped.verdict = Verdict::Skipped;
        skipped.summary = "interval " + std::to_string(skipped.index) + " skipped by the user";
        record(skipped);
        startInterval(traffic, now);
        onVerdict(traffic, now, skipped);
        return {};
    }
    case Action::SetWeight:
        return setWeightByHand(traffic, now, weight);
    case Action::Abort:
        if (auto refused = refuseUnless(isActive(phase), action, "active"); !refused)
            return refused;
        finish(traffic, now, Phase::Aborted, "aborted by the user");
        return {};
    case Action::Retry:
        return retry(traffic, now);
    }
    return {};
}

Result<void> Rollout::setWeightByHand(TrafficControl &traffic, TimePoint now,
                                      std::optional<unsigned> weight)
{
    const auto phase = m_status.phase;
    if (auto refused = refuseUnless(phase == Phase::Progressing || phase == Phase::Paused,
                                    Action::SetWeight, "progressing or paused");
        !refused)
        return refused;
    if (m_status.spec.strategy != RolloutStrategy::Canary)
        return makeError(ErrorCode::InvalidArgument,
                         "set-weight is for canary rollouts: a blue/green or A/B candidate gets "
                         "no weighted share before it is promoted");
    if (!weight || *weight > 99)
        return makeError(ErrorCode::InvalidArgument,
                         "the weight is a percentage from 0 to 99 (promote gives the candidate "
                         "100 %)");
    const auto from = m_status.weight;
    if (auto set = setWeight(traffic, *weight); !set)
        return set;
    restartInterval(traffic, now);
    transition(now, phase,
               "weight set by the user: " + std::to_string(from) + " -> " + std::to_string(*weight)
                   + " %");
    return {};
}

Result<void> Rollout::retry(TrafficControl &traffic, TimePoint now)
{
    const auto phase = m_status.phase;
    if (auto refused = refuseUnless(phase == Phase::RolledBack || phase == Phase::Aborted,
                                    Action::Retry, "rolled-back or aborted");
        !refused)
        return refused;
    const auto before = m_status;
    ++m_status.attempt;
    m_status.passedIntervals = 0;
    m_status.failedIntervals = 0;
    m_status.holdingSinceUnix = 0;
    m_status.finishedUnix = 0;
    m_status.reason.clear();
    m_status.weight
        = m_status.spec.strategy == RolloutStrategy::Canary ? m_status.spec.stepWeight : 0;
    m_status.phase = Phase::Progressing;
    m_idleTraffic = false;
    if (auto applied = apply(traffic, now); !applied) {
        m_status = before;
        return applied;
    }
    transition(now, Phase::Progressing,
               "retried by the user (attempt " + std::to_string(m_status.attempt) + ") at "
                   + std::to_string(m_status.weight) + " %");
    return {};
}

std::string Rollout::recover(TrafficControl &traffic, TimePoint now)
{
    if (!isActive(m_status.phase))
        return {};
    const auto age = unixSecondsOf(now) - m_status.evidenceUnix;
    const auto limit = m_status.spec.maxEvidenceAge.count();
    if (age > limit) {
        finish(traffic, now, Phase::RolledBack,
               "meshd was stopped mid-rollout and its last evidence is " + std::to_string(age)
                   + " s old, more than the " + std::to_string(limit)
                   + " s allowed, so the candidate goes back to 0 %");
        return m_status.transitions.back().message;
    }
    if (auto applied = apply(traffic, now); !applied) {
        m_status.reason = "could not resume after a restart of meshd: " + applied.error().message;
        transition(now, Phase::Paused, m_status.reason);
        return m_status.reason;
    }
    transition(now, m_status.phase,
               std::string("resumed ") + phaseName(m_status.phase) + " at "
                   + std::to_string(m_status.weight) + " % after a restart of meshd (last evidence "
                   + std::to_string(age) + " s old, " + std::to_string(limit) + " s allowed)");
    return m_status.transitions.back().message;
}

} // namespace meshcore::rollout
