#include "export/rollout_notes.h"

#include <sstream>

#include "export/k8s_format.h"

namespace meshcore::kube {

std::vector<std::string> analysisLeftOut(const control::RolloutSpec &rollout,
                                         const std::string &tool)
{
    const auto &analysis = rollout.analysis;
    std::vector<std::string> notes;
    notes.push_back("min_requests (" + std::to_string(analysis.minRequests)
                    + "): meshd holds a step with fewer requests; " + tool
                    + " judges whatever the interval had");
    notes.push_back("max_hold (" + gatewayDuration(analysis.maxHold) + "): " + tool
                    + " has no limit on holding for too few requests");
    if (analysis.maxSuccessRateDrop || analysis.maxP99Ratio) {
        std::ostringstream note;
        note << "checks relative to stable (";
        if (analysis.maxSuccessRateDrop)
            note << "max_success_rate_drop " << *analysis.maxSuccessRateDrop
                 << (analysis.maxP99Ratio ? ", " : "");
        if (analysis.maxP99Ratio)
            note << "max_p99_ratio " << *analysis.maxP99Ratio;
        note << "): " << tool << " compares the candidate with fixed thresholds only";
        notes.push_back(note.str());
    }
    if (rollout.traffic.enabled)
        notes.push_back("analysis_traffic: meshd's own requests to the candidate; " + tool
                        + " needs a load generator for that");
    notes.push_back("max_evidence_age (" + gatewayDuration(rollout.maxEvidenceAge)
                    + "): after a restart " + tool + " resumes from the resource's status");
    return notes;
}

} // namespace meshcore::kube
