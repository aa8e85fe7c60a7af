#pragma once

// The checks of one interval: the candidate's requests in that interval against the analysis's
// thresholds, and (when asked) against stable's requests in the same interval.

#include <string>
#include <vector>

#include "control/rollout_config.h"
#include "rollout/rollout_status.h"
#include "telemetry/traffic_stats.h"

namespace meshcore::rollout {

// Requests, failures, success rate and p99 of some requests (p99: the upper bound of the latency
// bucket holding the 99th percentile, as the topology's figures).
VersionFigures figuresOf(const telemetry::EdgeStats::Counts &counts);

struct Evaluation {
    Verdict verdict = Verdict::Hold;
    std::vector<CheckResult> checks;
    std::string summary; // one line: the verdict and the checks that decided it
};

// Too few candidate requests hold (never a pass), unless the failures among them already rule a
// pass out (even if every missing request succeeded) or every replica of the candidate is
// ejected: those fail. Any failing check fails; else a pass. The relative checks run only when
// stable had at least `minRequests` requests too.
Evaluation evaluateInterval(const control::AnalysisConfig &analysis,
                            const VersionFigures &candidate, const VersionFigures &stable,
                            bool candidateEjected = false);

} // namespace meshcore::rollout
