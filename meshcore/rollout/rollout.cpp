#include "rollout/rollout.h"

#include <algorithm>

#include "rollout/analysis.h"

namespace meshcore::rollout {
namespace {

using control::RolloutStrategy;

constexpr Action AllActions[] = {Action::Pause,     Action::Resume, Action::Promote, Action::Skip,
                                 Action::SetWeight, Action::Abort,  Action::Retry};

template <typename T> void keepLast(std::vector<T> &items, std::size_t most)
{
    if (items.size() > most)
        items.erase(items.begin(), items.begin() + static_cast<long>(items.size() - most));
}

} // namespace

const char *actionName(Action action)
{
    switch (action) {
    case Action::Pause:
        return "pause";
    case Action::Resume:
        return "resume";
    case Action::Promote:
        return "promote";
    case Action::Skip:
        return "skip";
    case Action::SetWeight:
        return "set-weight";
    case Action::Abort:
        return "abort";
    case Action::Retry:
        return "retry";
    }
    return "pause";
}

std::optional<Action> actionFromName(std::string_view name)
{
    for (const auto action : AllActions)
        if (name == actionName(action))
            return action;
    return std::nullopt;
}

RolloutStatus Rollout::fresh(const control::RolloutSpec &spec, TimePoint now, std::string origin)
{
    RolloutStatus status;
    status.spec = spec;
    status.phase = Phase::Progressing;
    status.weight = spec.strategy == RolloutStrategy::Canary ? spec.stepWeight : 0;
    status.startedUnix = unixSecondsOf(now);
    status.intervalStartUnix = status.startedUnix;
    status.evidenceUnix = status.startedUnix;
    status.origin = std::move(origin);
    return status;
}

Rollout::Rollout(RolloutStatus status)
    : m_status(std::move(status))
    , m_reported(m_status.transitions.size())
    , m_intervalStarted(std::chrono::seconds(m_status.intervalStartUnix))
{
}

std::vector<Transition> Rollout::takeNewTransitions()
{
    std::vector<Transition> out;
    const auto &all = m_status.transitions;
    // Bounded history may have dropped old ones: report what is left of the new.
    const auto first = std::min(m_reported, all.size());
    out.assign(all.begin() + static_cast<long>(first), all.end());
    m_reported = all.size();
    return out;
}

void Rollout::transition(TimePoint now, Phase phase, std::string message)
{
    m_status.phase = phase;
    m_status.transitions.push_back(
        {unixSecondsOf(now), phase, m_status.weight, std::move(message)});
    const auto before = m_status.transitions.size();
    keepLast(m_status.transitions, RolloutStatus::MaxTransitions);
    m_reported -= std::min(m_reported, before - m_status.transitions.size());
}

void Rollout::record(IntervalRecord interval)
{
    m_status.intervals.push_back(std::move(interval));
    keepLast(m_status.intervals, RolloutStatus::MaxIntervals);
}

std::vector<control::BackendWeight>
Rollout::wantedSplit(const std::vector<control::BackendWeight> &now, unsigned weight) const
{
    std::vector<control::BackendWeight> split;
    for (const auto &backend : now) {
        unsigned w = 0;
        if (backend.version == m_status.spec.candidate)
            w = weight;
        else if (backend.version == m_status.spec.stable)
            w = 100 - weight;
        split.push_back({backend.version, w});
    }
    return split;
}

std::vector<VersionPin> Rollout::wantedPins() const
{
    if (m_status.phase != Phase::Progressing && m_status.phase != Phase::Paused)
        return {};
    const auto &spec = m_status.spec;
    std::vector<VersionPin> pins;
    pins.push_back({{control::RequestMatch::Kind::Header, control::AnalysisHeader, m_status.name()},
                    spec.candidate});
    if (spec.strategy == RolloutStrategy::AB && spec.match)
        pins.push_back({*spec.match, spec.candidate});
    return pins;
}

bool Rollout::wantsAnalysisTraffic() const
{
    const auto &traffic = m_status.spec.traffic;
    if (m_status.phase != Phase::Progressing || !traffic.enabled)
        return false;
    return !traffic.whenIdle || m_idleTraffic
        || m_status.spec.strategy == RolloutStrategy::BlueGreen;
}

bool Rollout::splitIsOurs(TrafficControl &traffic) const
{
    const auto split = traffic.split(m_status.spec);
    return split && *split == wantedSplit(*split, m_status.weight);
}

Result<void> Rollout::setWeight(TrafficControl &traffic, unsigned weight)
{
    auto split = traffic.split(m_status.spec);
    if (!split)
        return tl::unexpected(split.error());
    if (auto set = traffic.setSplit(m_status.spec, wantedSplit(*split, weight)); !set)
        return set;
    m_status.weight = weight;
    return {};
}

void Rollout::startInterval(TrafficControl &traffic, TimePoint now)
{
    m_intervalStarted = now;
    m_status.intervalStartUnix = unixSecondsOf(now);
    m_status.evidenceUnix = m_status.intervalStartUnix;
    m_candidateAtStart = traffic.totals(m_status.spec, m_status.spec.candidate);
    m_stableAtStart = traffic.totals(m_status.spec, m_status.spec.stable);
}

Result<void> Rollout::apply(TrafficControl &traffic, TimePoint now)
{
    if (auto set = setWeight(traffic, m_status.weight); !set)
        return set;
    traffic.setPins(m_status.spec, wantedPins());
    traffic.setAnalysisTraffic(m_status.spec,
                               wantsAnalysisTraffic() ? std::optional(m_status.spec.traffic)
                                                      : std::nullopt);
    startInterval(traffic, now);
    m_status.holdingSinceUnix = 0; // time away (paused, meshd stopped) is not holding
    return {};
}

void Rollout::restartInterval(TrafficControl &traffic, TimePoint now)
{
    startInterval(traffic, now);
    m_status.holdingSinceUnix = 0;
}

void Rollout::begin(TrafficControl &traffic, TimePoint now)
{
    const auto &spec = m_status.spec;
    std::string what = std::string(control::rolloutStrategyName(spec.strategy)) + " rollout of "
        + spec.candidate + " (stable " + spec.stable + ")";
    if (auto applied = apply(traffic, now); !applied) {
        m_status.reason = applied.error().message;
        transition(now, Phase::Paused, what + " could not start: " + m_status.reason);
        return;
    }
    transition(
        now, Phase::Progressing,
        what + " started at " + std::to_string(m_status.weight) + " %"
            + (spec.traffic.enabled && wantsAnalysisTraffic() ? ", with analysis traffic" : ""));
}

void Rollout::tick(TrafficControl &traffic, TimePoint now)
{
    if (m_status.phase == Phase::Promoting) {
        finish(traffic, now, Phase::Succeeded,
               m_status.spec.candidate + " is the new stable version of " + m_status.name());
        return;
    }
    if (m_status.phase == Phase::Paused)
        m_status.evidenceUnix = unixSecondsOf(now);
    if (m_status.phase != Phase::Progressing)
        return;
    if (const auto split = traffic.split(m_status.spec); !split) {
        splitChangedByHand(traffic, now,
                           "it no longer has both versions: " + split.error().message);
        return;
    } else if (*split != wantedSplit(*split, m_status.weight)) {
        splitChangedByHand(traffic, now, "to " + control::splitText(*split));
        return;
    }
    traffic.setPins(m_status.spec, wantedPins()); // a reload may have rebuilt the balancer
    m_status.evidenceUnix = unixSecondsOf(now);
    if (now >= m_intervalStarted + m_status.spec.interval)
        endInterval(traffic, now);
}

} // namespace meshcore::rollout
