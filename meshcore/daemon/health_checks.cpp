#include "daemon/health_checks.h"

#include "daemon/checks/checks.h"

// The checks themselves live in daemon/checks/, one family per file; this file says which run.
namespace meshcore::daemon {

std::vector<CheckResult> runChecks(const CheckInputs &inputs)
{
    using namespace checks;
    std::vector<CheckResult> results;
    if (inputs.authority && inputs.clock) {
        results.push_back(caCanIssue(inputs));
        results.push_back(certificateExpiry(inputs));
    }
    if (inputs.dataPlane)
        results.push_back(unknownDestinations(inputs));
    if (inputs.supervisor && inputs.clock)
        results.push_back(crashLoops(inputs));
    if (inputs.dataPlane && inputs.supervisor)
        results.push_back(workloadsListening(inputs));
    if (inputs.dataPlane)
        results.push_back(proxyBypass(inputs));
    if (inputs.dataPlane && inputs.supervisor)
        results.push_back(portsInUse(inputs));
    if (inputs.supervisor)
        results.push_back(memoryGrowth(inputs));
    results.push_back(configDrift(inputs));
    return results;
}

} // namespace meshcore::daemon
