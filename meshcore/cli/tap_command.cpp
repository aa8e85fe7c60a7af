#include "cli/tap_command.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <iostream>
#include <map>
#include <ostream>
#include <tuple>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "admin/api_json.h"
#include "cli/cli_common.h"
#include "core/duration.h"
#include "core/json_dump.h"

namespace meshcore::cli {
namespace {

constexpr const char *TapHelp
    = R"(Usage: meshd tap [SERVICE] [--from SERVICE] [--route NAME] [--path PREFIX] [--method M]
                 [--status CLASS] [--max N] [--json] [--admin ADDR] [--state-dir DIR]

Live requests as the sidecars finish them, one line each: when, caller pod -> replica, method,
path, status, latency, whether it went over mTLS, the route it matched, retries, and what the
proxy answered itself (timeout, unavailable, unknown-service...). Runs until Ctrl-C or --max.

  SERVICE          only requests to this service ("catalog" or "catalog.shop")
  --from SERVICE   only requests from this service
  --route NAME     only requests matching this route of the destination
  --path PREFIX    only paths starting with PREFIX
  --method M       only this method (GET, POST...)
  --status CLASS   only answers of this class: 2xx, 3xx, 4xx or 5xx
  --max N          stop after N requests
  --json           one JSON object per line (NDJSON), as GET /api/v1/tap sends them
)";

constexpr const char *TopHelp
    = R"(Usage: meshd top [SERVICE] [--from SERVICE] [--route NAME] [--path PREFIX] [--method M]
                 [--status CLASS] [--duration D] [--limit N] [--json] [--admin ADDR] [--state-dir DIR]

The live tap summed up by caller, destination, method and path, busiest first: how many requests,
the best, worst and last latency, and the success rate (like linkerd viz top). On a terminal it is
redrawn every second until Ctrl-C or --duration; otherwise it listens for --duration (default 5s)
and prints the table once.

  SERVICE and the filters are those of 'meshd tap'.
  --duration D     how long to listen (e.g. 10s)
  --limit N        show the N busiest rows (default 20)
  --json           the rows as a JSON array, after --duration
)";

std::vector<FlagSpec> filterFlags()
{
    return {{"from"},  {"route"},     {"path"},        {"method"},     {"status"},
            {"admin"}, {"state-dir"}, {"json", false}, {"help", false}};
}

std::string percentEncoded(const std::string &text)
{
    static constexpr char Hex[] = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += Hex[c >> 4];
            out += Hex[c & 15];
        }
    }
    return out;
}

// "/api/v1/tap?service=...&status=5xx" from the positional SERVICE and the filter flags.
std::string tapPath(const ParsedArgs &args, const std::string &extra = {})
{
    std::string query;
    const auto add = [&](const std::string &name, const std::optional<std::string> &value) {
        if (value && !value->empty())
            query += (query.empty() ? "?" : "&") + name + "=" + percentEncoded(*value);
    };
    if (!args.positional().empty())
        add("service", args.positional().front());
    for (const char *name : {"from", "route", "path", "method", "status"})
        add(name, args.value(name));
    if (!extra.empty())
        query += (query.empty() ? "?" : "&") + extra;
    return "/api/v1/tap" + query;
}

std::optional<std::string> checkFilters(const ParsedArgs &args)
{
    if (args.positional().size() > 1)
        return "one SERVICE at most, not '" + args.positional()[1] + "' too";
    if (const auto status = args.value("status"); status && !telemetry::parseStatusClass(*status))
        return "--status takes a class like 2xx or 5xx, not '" + *status + "'";
    return std::nullopt;
}

std::string tapLine(const telemetry::TapEvent &event)
{
    std::string line = localTime(event.unixMs, "%H:%M:%S", true) + "  " + event.sourcePod + " -> ";
    line += event.destinationPod.empty() ? event.destinationService : event.destinationPod;
    line += "  " + event.method + " " + event.authority + event.path + "  "
        + std::to_string(event.status) + "  " + formatMs(event.latencyMs) + "  "
        + (event.mtls ? "mTLS" : "no-TLS") + "  route=" + event.route;
    if (event.retries)
        line += "  retries=" + std::to_string(event.retries);
    if (!event.error.empty())
        line += "  error=" + event.error;
    return line;
}

// One row of `meshd top`.
struct TopRow {
    std::string source;
    std::string destination;
    std::string method;
    std::string path;
    std::uint64_t count = 0;
    std::uint64_t successes = 0;
    double best = 0;
    double worst = 0;
    double last = 0;
};

class TopTable {
public:
    void add(const telemetry::TapEvent &event)
    {
        const auto destination
            = event.destinationPod.empty() ? event.destinationService : event.destinationPod;
        auto &row = m_rows[std::make_tuple(event.sourcePod, destination, event.method, event.path)];
        if (row.count == 0) {
            row = {event.sourcePod,
                   destination,
                   event.method,
                   event.path,
                   0,
                   0,
                   event.latencyMs,
                   event.latencyMs,
                   0};
        }
        ++row.count;
        row.successes += event.status < 500 ? 1 : 0;
        row.best = std::min(row.best, event.latencyMs);
        row.worst = std::max(row.worst, event.latencyMs);
        row.last = event.latencyMs;
    }

    std::vector<TopRow> busiest(std::size_t limit) const
    {
        std::vector<TopRow> rows;
        for (const auto &[key, row] : m_rows)
            rows.push_back(row);
        std::stable_sort(rows.begin(), rows.end(),
                         [](const TopRow &a, const TopRow &b) { return a.count > b.count; });
        if (rows.size() > limit)
            rows.resize(limit);
        return rows;
    }

    void print(std::ostream &out, std::size_t limit) const
    {
        std::vector<std::vector<std::string>> rows
            = {{"SOURCE", "DESTINATION", "METHOD", "PATH", "COUNT", "BEST", "WORST", "LAST",
                "SUCCESS"}};
        for (const auto &row : busiest(limit))
            rows.push_back({row.source, row.destination, row.method, row.path,
                            std::to_string(row.count), formatMs(row.best), formatMs(row.worst),
                            formatMs(row.last),
                            formatPercent(static_cast<double>(row.successes)
                                          / static_cast<double>(row.count))});
        printTable(out, rows);
        if (rows.size() == 1)
            out << "(no requests yet)\n";
    }

    nlohmann::json json(std::size_t limit) const
    {
        auto rows = nlohmann::json::array();
        for (const auto &row : busiest(limit))
            rows.push_back({{"source", row.source},
                            {"destination", row.destination},
                            {"method", row.method},
                            {"path", row.path},
                            {"count", row.count},
                            {"best_ms", row.best},
                            {"worst_ms", row.worst},
                            {"last_ms", row.last},
                            {"success_rate",
                             static_cast<double>(row.successes) / static_cast<double>(row.count)}});
        return rows;
    }

private:
    std::map<std::tuple<std::string, std::string, std::string, std::string>, TopRow> m_rows;
};

// Parses one tap line; lines of another kind (a "dropped" notice) give nullopt.
std::optional<telemetry::TapEvent> eventFrom(std::string_view line, std::uint64_t &dropped)
{
    const auto json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return std::nullopt;
    if (const auto notice = admin::tapDroppedFromJson(json)) {
        dropped += notice->count;
        return std::nullopt;
    }
    auto event = admin::tapEventFromJson(json);
    if (!event)
        return std::nullopt;
    return *event;
}

bool readCommon(const ParsedArgs &args, CommonFlags &common, std::ostream &err, const char *verb,
                int &status)
{
    if (auto problem = checkFilters(args)) {
        status = usageError(err, verb, *problem);
        return false;
    }
    if (auto problem = readCommonFlags(args, common)) {
        status = usageError(err, verb, *problem);
        return false;
    }
    return true;
}

} // namespace

int runTapVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err)
{
    auto flags = filterFlags();
    flags.push_back({"max"});
    auto args = parseArgs(rest, flags);
    if (!args)
        return usageError(err, "tap", args.error().message);
    if (args->has("help")) {
        out << TapHelp;
        return ExitOk;
    }
    CommonFlags common;
    int status = ExitOk;
    if (!readCommon(*args, common, err, "tap", status))
        return status;
    std::string extra;
    if (const auto max = args->value("max")) {
        if (max->empty() || max->find_first_not_of("0123456789") != std::string::npos
            || max->size() > 9 || std::stoul(*max) == 0)
            return usageError(err, "tap", "--max takes a whole number from 1, not '" + *max + "'");
        extra = "max=" + *max;
    }
    const bool json = args->has("json");
    std::uint64_t dropped = 0;
    const auto streamed = adminStream(common, tapPath(*args, extra), [&](std::string_view line) {
        if (json) {
            out << line << std::endl;
            return true;
        }
        const auto before = dropped;
        if (const auto event = eventFrom(line, dropped))
            out << tapLine(*event) << std::endl;
        if (dropped != before)
            out << "(" << dropped - before << " requests not shown: this terminal read too slowly)"
                << std::endl;
        return true;
    });
    if (!streamed) {
        err << "meshd tap: " << streamed.error().message << "\n";
        return ExitFailed;
    }
    return ExitOk;
}

int runTopVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err)
{
    auto flags = filterFlags();
    flags.push_back({"duration"});
    flags.push_back({"limit"});
    auto args = parseArgs(rest, flags);
    if (!args)
        return usageError(err, "top", args.error().message);
    if (args->has("help")) {
        out << TopHelp;
        return ExitOk;
    }
    CommonFlags common;
    int status = ExitOk;
    if (!readCommon(*args, common, err, "top", status))
        return status;
    const bool json = args->has("json");
    const bool live = !json && ::isatty(STDOUT_FILENO) && &out == &std::cout;
    std::optional<std::chrono::milliseconds> duration;
    if (const auto text = args->value("duration")) {
        auto parsed = parseDuration(*text);
        if (!parsed || parsed->count() <= 0)
            return usageError(err, "top",
                              "--duration takes a duration like 10s, not '" + *text + "'");
        duration = *parsed;
    } else if (!live) {
        duration = std::chrono::seconds(5);
    }
    std::size_t limit = 20;
    if (const auto text = args->value("limit")) {
        if (text->empty() || text->find_first_not_of("0123456789") != std::string::npos
            || text->size() > 6 || std::stoul(*text) == 0)
            return usageError(err, "top",
                              "--limit takes a whole number from 1, not '" + *text + "'");
        limit = std::stoul(*text);
    }

    TopTable table;
    std::uint64_t dropped = 0;
    const auto start = std::chrono::steady_clock::now();
    auto lastDraw = start;
    const auto redraw = [&] {
        out << "\033[H\033[2J"
            << "meshd top: " << tapPath(*args) << "  (Ctrl-C to stop)\n\n";
        table.print(out, limit);
        out << std::flush;
        lastDraw = std::chrono::steady_clock::now();
    };
    const auto streamed = adminStream(
        common, tapPath(*args),
        [&](std::string_view line) {
            if (const auto event = eventFrom(line, dropped))
                table.add(*event);
            return true;
        },
        [&] {
            const auto now = std::chrono::steady_clock::now();
            if (live && now - lastDraw >= std::chrono::seconds(1))
                redraw();
            return duration && now - start >= *duration;
        });
    if (!streamed) {
        err << "meshd top: " << streamed.error().message << "\n";
        return ExitFailed;
    }
    if (json) {
        out << dumpJson(table.json(limit), 2) << "\n";
        return ExitOk;
    }
    if (live)
        redraw();
    else
        table.print(out, limit);
    if (dropped)
        out << "(" << dropped
            << " requests were not counted: meshd dropped them for a slow reader)\n";
    return ExitOk;
}

} // namespace meshcore::cli
