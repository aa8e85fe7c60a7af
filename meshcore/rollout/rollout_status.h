#pragma once

// What a rollout is doing and has done: the admin API's answer (GET /api/v1/rollouts...), the
// state file's content and what the app draws. Plain data, no behaviour.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "control/rollout_config.h"

namespace meshcore::rollout {

enum class Phase {
    Progressing, // analysing intervals, moving the weight
    Paused, // by the user, or by a split changed by hand: the weight stays where it is
    Promoting, // the candidate has 100 %; becomes succeeded on the next tick
    Succeeded, // the candidate is the new stable
    RolledBack, // a check failed `failureThreshold` times, or the step held too long
    Aborted, // by the user: the candidate is back at 0 %
};

// "progressing", "paused", "promoting", "succeeded", "rolled-back", "aborted".
const char *phaseName(Phase phase);
std::optional<Phase> phaseFromName(std::string_view name);
// Still running (progressing, paused or promoting): it owns the service's split.
bool isActive(Phase phase);

// One version's requests in one interval.
struct VersionFigures {
    std::uint64_t requests = 0;
    std::uint64_t failures = 0;
    double successRate = 100; // percent; 100 without requests
    double p99Ms = 0;
    bool operator==(const VersionFigures &) const = default;
};

// One check of one interval: "success-rate", "latency-p99", "request-count",
// "success-rate-vs-stable", "latency-p99-vs-stable".
struct CheckResult {
    std::string name;
    double value = 0; // what was measured (the candidate's, or its difference or ratio to stable)
    double threshold = 0;
    bool passed = false;
    std::string text; // "success rate 91.2 % is below the minimum 99 %"
    bool operator==(const CheckResult &) const = default;
};

enum class Verdict {
    Pass,
    Fail,
    Hold, // too few requests: neither
    Skipped, // the user skipped the step
};
const char *verdictName(Verdict verdict); // "pass", "fail", "hold", "skipped"
std::optional<Verdict> verdictFromName(std::string_view name);

struct IntervalRecord {
    unsigned index = 0; // 1-based, over the whole rollout (retries continue the count)
    std::int64_t startUnix = 0;
    std::int64_t endUnix = 0;
    unsigned weight = 0; // the candidate's weight during the interval
    VersionFigures candidate;
    VersionFigures stable;
    std::vector<CheckResult> checks;
    Verdict verdict = Verdict::Hold;
    std::string summary; // one line: what the interval decided
    bool operator==(const IntervalRecord &) const = default;
};

// A change of phase or weight, for the event list and the weight-over-time chart.
struct Transition {
    std::int64_t unix = 0;
    Phase phase = Phase::Progressing; // after the change
    unsigned weight = 0; // the candidate's weight after the change
    std::string message;
    bool operator==(const Transition &) const = default;
};

struct RolloutStatus {
    control::RolloutSpec spec;
    Phase phase = Phase::Progressing;
    std::string reason; // why paused, rolled back or aborted (which check, which values)
    unsigned weight = 0; // the candidate's weight now, in percent
    unsigned attempt = 1; // 2 after one retry, ...
    unsigned passedIntervals = 0; // in this attempt
    unsigned failedIntervals = 0; // in this attempt
    std::int64_t startedUnix = 0;
    std::int64_t intervalStartUnix = 0; // the interval under analysis began
    std::int64_t holdingSinceUnix = 0; // 0 unless the step holds for too few requests
    std::int64_t evidenceUnix = 0; // the last time the controller saw this rollout's traffic
    std::int64_t finishedUnix = 0; // 0 while active
    std::string origin; // "config", "api"
    std::vector<IntervalRecord> intervals; // oldest first, bounded (MaxIntervals)
    std::vector<Transition> transitions; // oldest first, bounded (MaxTransitions)
    bool operator==(const RolloutStatus &) const = default;

    static constexpr std::size_t MaxIntervals = 200;
    static constexpr std::size_t MaxTransitions = 500;
    std::string name() const; // "catalog" or "catalog.shop" (as clients name services)
};

} // namespace meshcore::rollout
