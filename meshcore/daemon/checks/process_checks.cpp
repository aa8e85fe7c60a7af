#include "daemon/checks/checks.h"

#include <cstdio>

#include "core/duration.h"
#include "daemon/checks/check_building.h"

namespace meshcore::daemon::checks {

CheckResult crashLoops(const CheckInputs &in)
{
    auto result = check("crash-loops", "no supervised process is crash-looping");
    const auto now = in.clock->now();
    for (const auto &process : in.supervisor->processes()) {
        // Failing to stay up now, or restarted often and lately.
        const bool backingOff
            = process.state == control::Supervisor::State::BackingOff && process.restarts >= 2;
        const bool lately
            = process.restarts >= 3 && now - process.startedAt < std::chrono::seconds(60);
        if (!backingOff && !lately)
            continue;
        std::string message = process.pod + " has restarted " + std::to_string(process.restarts)
            + " time" + (process.restarts == 1 ? "" : "s") + " (last exit status "
            + std::to_string(process.lastExitStatus) + ")";
        if (!process.lastError.empty())
            message += ": " + process.lastError;
        worsen(result, backingOff ? Status::Fail : Status::Warn, message,
               "read its output: " + process.log.string(), process.pod);
    }
    return result;
}

CheckResult memoryGrowth(const CheckInputs &in)
{
    auto result = check("memory-growth", "no supervised process's memory keeps growing");
    if (!in.resources)
        return result;
    for (const auto &process : in.supervisor->processes()) {
        const auto usage = in.resources->usage(process.pod);
        if (!usage || usage->pid != process.pid || !control::ResourceSampler::keepsGrowing(*usage))
            continue;
        char trend[64];
        std::snprintf(trend, sizeof trend, "%.1f MiB/min", usage->rssSlopeKibPerMin / 1024);
        worsen(result, Status::Warn,
               process.pod + " (pid " + std::to_string(process.pid) + ") grew from "
                   + std::to_string(usage->firstRssKib / 1024) + " MiB to "
                   + std::to_string(usage->rssKib / 1024) + " MiB in "
                   + formatDuration(
                       std::chrono::milliseconds(static_cast<long long>(usage->spanSeconds * 1000)))
                   + " (+" + trend + ") and keeps growing",
               "a leak? it keeps memory per request or per connection; a restart gets it back for "
               "now (meshd restarts a process "
               "that exits), then find what it holds on to",
               process.pod);
    }
    return result;
}

} // namespace meshcore::daemon::checks
