#pragma once

// One rollout's state machine: progressing -> (paused <-> progressing) -> promoting -> succeeded,
// or -> rolled back / aborted (and retry starts it over). It drives the service's split through
// TrafficControl and records every interval and transition in its RolloutStatus.

#include <chrono>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "rollout/rollout_status.h"
#include "rollout/traffic_control.h"

namespace meshcore::rollout {

// The manual actions (the API's and the CLI's words: "pause", "resume", "promote", "skip",
// "set-weight", "abort", "retry").
enum class Action { Pause, Resume, Promote, Skip, SetWeight, Abort, Retry };
const char *actionName(Action action);
std::optional<Action> actionFromName(std::string_view name);

class Rollout {
public:
    // A new rollout of `spec` (valid: control::rolloutSpecProblem), not yet applied.
    static RolloutStatus fresh(const control::RolloutSpec &spec, TimePoint now, std::string origin);
    explicit Rollout(RolloutStatus status);

    const RolloutStatus &status() const { return m_status; }

    // Applies a fresh rollout and records that it started (or why it could not: it is then
    // paused, saying so).
    void begin(TrafficControl &traffic, TimePoint now);
    // Hands the rollout's weight, pins and analysis traffic to the data plane and starts a new
    // interval (at start, after a resume, after a restart of meshd). Fails when the split
    // cannot be set (a version is gone), changing nothing.
    Result<void> apply(TrafficControl &traffic, TimePoint now);
    // Starts the interval over now (a restarted meshd's workloads are still starting).
    void restartInterval(TrafficControl &traffic, TimePoint now);
    // Once a second while active: ends the interval when it is due and acts on its verdict;
    // pauses when the split is no longer the rollout's.
    void tick(TrafficControl &traffic, TimePoint now);
    // A manual action; an action that does not apply says why and changes nothing. `weight` is
    // for SetWeight.
    Result<void> act(Action action, TrafficControl &traffic, TimePoint now,
                     std::optional<unsigned> weight = std::nullopt);
    // The split was changed by someone else (PUT /api/v1/split, a reload): pause, saying so.
    void splitChangedByHand(TrafficControl &traffic, TimePoint now, const std::string &how);
    // meshd restarted: resumes (re-applying the split) or, when the last evidence is older than
    // the spec allows, rolls back. Returns the sentence for the event log.
    std::string recover(TrafficControl &traffic, TimePoint now);

    // Transitions added since the last call (for the event log).
    std::vector<Transition> takeNewTransitions();

private:
    // The split the rollout wants in force: stable 100 - weight, candidate weight, others 0.
    std::vector<control::BackendWeight> wantedSplit(const std::vector<control::BackendWeight> &now,
                                                    unsigned weight) const;
    std::vector<VersionPin> wantedPins() const;
    bool wantsAnalysisTraffic() const;
    Result<void> setWeight(TrafficControl &traffic, unsigned weight);
    void startInterval(TrafficControl &traffic, TimePoint now);
    void endInterval(TrafficControl &traffic, TimePoint now);
    void onVerdict(TrafficControl &traffic, TimePoint now, const IntervalRecord &interval);
    void advance(TrafficControl &traffic, TimePoint now, const std::string &why);
    void promote(TrafficControl &traffic, TimePoint now, const std::string &why);
    void finish(TrafficControl &traffic, TimePoint now, Phase phase, const std::string &reason);
    void transition(TimePoint now, Phase phase, std::string message);
    void record(IntervalRecord interval);
    Result<void> setWeightByHand(TrafficControl &traffic, TimePoint now,
                                 std::optional<unsigned> weight);
    Result<void> retry(TrafficControl &traffic, TimePoint now);
    Result<void> refuseUnless(bool applies, Action action, const char *which) const;
    bool splitIsOurs(TrafficControl &traffic) const;

    RolloutStatus m_status;
    std::size_t m_reported = 0; // transitions handed to takeNewTransitions
    // Readings at the start of the interval (not kept across restarts: the counts restart too).
    telemetry::EdgeStats::Totals m_candidateAtStart;
    telemetry::EdgeStats::Totals m_stableAtStart;
    bool m_idleTraffic = false; // analysis traffic started because the last interval held
    TimePoint m_intervalStarted; // to the clock's precision (the status keeps whole seconds)
};

} // namespace meshcore::rollout
