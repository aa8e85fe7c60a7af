#include "cli/events_command.h"

#include <ctime>
#include <ostream>

#include <nlohmann/json.hpp>

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
    const auto body = adminGet(common, "/api/v1/events");
    if (!body) {
        err << "meshd events: " << body.error().message << "\n";
        return ExitFailed;
    }
    const auto json = nlohmann::json::parse(*body, nullptr, false);
    if (json.is_discarded() || !json.contains("events")) {
        err << "meshd events: meshd's answer is not a list of events\n";
        return ExitFailed;
    }
    if (args->has("json")) {
        out << dumpJson(json["events"], 2) << "\n";
        return ExitOk;
    }
    std::vector<std::vector<std::string>> rows = {{"TIME", "KIND", "SUBJECT", "MESSAGE"}};
    for (const auto &event : json["events"])
        rows.push_back({localTime(event.value("time_unix_ms", std::int64_t(0))), event.value("kind", ""),
                        event.value("subject", ""), event.value("message", "")});
    printTable(out, rows);
    return ExitOk;
}

} // namespace meshcore::cli
