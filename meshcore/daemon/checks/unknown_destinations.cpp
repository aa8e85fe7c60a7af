#include "core/service_key.h"
#include "daemon/health_checks.h"

#include <algorithm>

#include "daemon/checks/check_building.h"
#include "daemon/checks/checks.h"
#include "telemetry/unknown_names.h"

namespace meshcore::daemon {
namespace checks {

CheckResult unknownDestinations(const CheckInputs &in)
{
    std::vector<std::string> known;
    for (const auto &destination : *in.dataPlane->destinations())
        known.push_back(qualifiedName(destination->service, destination->ns));
    return unknownDestinationCheck(known, in.dataPlane->metrics().traffic,
                                   in.clock ? in.clock->now() : std::chrono::system_clock::now());
}

} // namespace checks

using checks::check;
using checks::Status;
using checks::worsen;

std::size_t editDistance(const std::string &a, const std::string &b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j]
                = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

CheckResult unknownDestinationCheck(const std::vector<std::string> &known,
                                    const telemetry::TrafficStats &traffic, TimePoint now)
{
    auto result = check("unknown-destinations",
                        "every name called in the last minute is a service of the mesh");
    for (const auto &[key, stats] : traffic.edges()) {
        if (key.meshed)
            continue;
        const auto recent = stats->counts(now + std::chrono::seconds(1),
                                          std::chrono::seconds(60)); // this second too
        if (recent.requests == 0)
            continue;
        const std::string caller
            = key.srcService + (key.srcVersion.empty() ? "" : "-" + key.srcVersion);
        const std::string answered = std::to_string(recent.requests) + " request"
            + (recent.requests == 1 ? "" : "s") + " answered 503 in the last minute";
        if (key.dstService == telemetry::UnknownNames::Other) {
            worsen(result, Status::Warn,
                   caller + " called more names that no service has than meshd keeps by name ("
                       + answered + ")",
                   "'meshd tap --status 5xx' shows each name", key.dstService);
            continue;
        }
        // Did you mean: the closest service, by its full name or its short one.
        std::string best;
        std::size_t bestDistance = 4;
        for (const auto &name : known) {
            const auto shortName = name.substr(0, name.find('.'));
            const auto distance = std::min(editDistance(key.dstService, name),
                                           editDistance(key.dstService, shortName));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = key.dstService.find('.') == std::string::npos ? shortName : name;
            }
        }
        worsen(result, Status::Warn,
               caller + " called '" + key.dstService + "', which no service is (" + answered + ")",
               best.empty()
                   ? "fix the URL in " + caller + ", or add the service to the mesh configuration"
                   : "did you mean " + best + "? fix the URL in " + caller,
               key.dstService);
    }
    return result;
}

} // namespace meshcore::daemon
