#include "cli/events_command.h"

#include <ctime>
#include <ostream>

#include <nlohmann/json.hpp>

#include "admin/api_json.h"
#include "cli/cli_common.h"
#include "core/json_dump.h"

namespace meshcore::cli {
namespace {

constexpr const char *EventsHelp = R"(Usage: meshd events [--json] [--admin ADDR] [--state-dir DIR]

What just happened in the mesh, oldest first (meshd keeps the last 1,000): its start, certificate
rotations, circuit breakers ejecting and restoring replicas, supervised processes restarting,
traffic split changes.
)";

} // namespace

int runEventsVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err)
{
    CommonFlags common;
    auto parsed = readSimpleVerb(rest, "events", EventsHelp, common, out, err);
    if (const int *status = std::get_if<int>(&parsed))
        return *status;
    const auto *args = &std::get<ParsedArgs>(parsed);
    auto client = adminClient(common);
    auto events = client ? (*client)->events()
                         : Result<std::vector<admin::EventInfo>>(tl::unexpected(client.error()));
    if (!events) {
        err << "meshd events: " << events.error().message << "\n";
        return ExitFailed;
    }
    if (args->has("json")) {
        out << dumpJson(admin::toJson(*events)["events"], 2) << "\n";
        return ExitOk;
    }
    std::vector<std::vector<std::string>> rows = {{"TIME", "KIND", "SUBJECT", "MESSAGE"}};
    for (const auto &event : *events)
        rows.push_back({localTime(event.timeUnixMs), event.kind, event.subject, event.message});
    printTable(out, rows);
    return ExitOk;
}

} // namespace meshcore::cli
