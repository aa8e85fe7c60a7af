#include "cli/topology_commands.h"
#include "core/service_key.h"

#include <optional>
#include <ostream>

#include <nlohmann/json.hpp>

#include "admin/api_json.h"
#include "cli/cli_common.h"
#include "core/duration.h"
#include "core/json_dump.h"

namespace meshcore::cli {
namespace {

constexpr const char *StatHelp
    = R"(Usage: meshd stat [--window DURATION] [--json] [--admin ADDR] [--state-dir DIR]

Every service of the mesh with its request rate, success rate and p50/p95/p99 latency over the
last 30 s (or --window, up to 60s), as its callers see it; also the local clients and any name
called that is no service (MESHED no).
)";

constexpr const char *EdgesHelp
    = R"(Usage: meshd edges [--window DURATION] [--json] [--admin ADDR] [--state-dir DIR]

Who calls whom over the last 30 s (or --window): each edge between a caller and a service, with
its rate and success rate, and whether it is mTLS (SECURED). --json adds the identities of
both ends and the share of traffic per version.
)";

// The topology from meshd, or an exit status after printing why not.
std::optional<admin::Topology> fetchTopology(const std::string &verb,
                                             const std::vector<std::string> &rest, const char *help,
                                             std::ostream &out, std::ostream &err, int &status,
                                             bool &json)
{
    auto args
        = parseArgs(rest, {{"admin"}, {"state-dir"}, {"window"}, {"json", false}, {"help", false}});
    if (!args) {
        status = usageError(err, verb, args.error().message);
        return std::nullopt;
    }
    if (args->has("help")) {
        out << help;
        status = ExitOk;
        return std::nullopt;
    }
    if (!args->positional().empty()) {
        status = usageError(err, verb, "unexpected argument '" + args->positional().front() + "'");
        return std::nullopt;
    }
    CommonFlags common;
    if (auto problem = readCommonFlags(*args, common)) {
        status = usageError(err, verb, *problem);
        return std::nullopt;
    }
    const auto window = parseDuration(args->value("window").value_or("30s"));
    using std::chrono::seconds;
    if (!window || *window < seconds(1) || *window > seconds(60)
        || *window % seconds(1) != window->zero()) {
        err << "meshd " << verb
            << ": window is a duration from 1s to 60s, like 30s\n"; // as meshd says it
        status = ExitFailed;
        return std::nullopt;
    }
    json = args->has("json");
    auto client = adminClient(common);
    auto topology = client ? (*client)->topology(static_cast<int>(
                        std::chrono::duration_cast<std::chrono::seconds>(*window).count()))
                           : Result<admin::Topology>(tl::unexpected(client.error()));
    if (!topology) {
        err << "meshd " << verb << ": " << topology.error().message << "\n";
        status = ExitFailed;
        return std::nullopt;
    }
    return std::move(*topology);
}

std::string successOf(const admin::TrafficFigures &figures)
{
    return figures.requests == 0 || !figures.successRate ? "-"
                                                         : formatPercent(*figures.successRate);
}

// p50, p95 or p99, or "-" without requests.
std::string latencyOf(const admin::TrafficFigures &figures, double ms)
{
    return figures.requests > 0 ? formatMs(ms) : "-";
}

} // namespace

int runStatVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err)
{
    int status = ExitOk;
    bool json = false;
    const auto topology = fetchTopology("stat", rest, StatHelp, out, err, status, json);
    if (!topology)
        return status;
    if (json) {
        out << dumpJson(admin::toJson(*topology)["services"], 2) << "\n";
        return ExitOk;
    }
    std::vector<std::vector<std::string>> rows
        = {{"NAME", "MESHED", "SUCCESS", "RPS", "LATENCY_P50", "LATENCY_P95", "LATENCY_P99"}};
    for (const auto &service : topology->services) {
        if (service.kind == "client")
            continue; // callers only; `meshd edges` shows them
        const auto &t = service.traffic;
        rows.push_back({qualifiedName(service.name, service.ns), service.meshed ? "yes" : "no",
                        successOf(t), formatRps(t.rps), latencyOf(t, t.p50Ms),
                        latencyOf(t, t.p95Ms), latencyOf(t, t.p99Ms)});
    }
    printTable(out, rows);
    return ExitOk;
}

int runEdgesVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err)
{
    int status = ExitOk;
    bool json = false;
    const auto topology = fetchTopology("edges", rest, EdgesHelp, out, err, status, json);
    if (!topology)
        return status;
    if (json) {
        out << dumpJson(admin::toJson(*topology)["edges"], 2) << "\n";
        return ExitOk;
    }
    std::vector<std::vector<std::string>> rows
        = {{"SRC", "DST", "SRC_NS", "DST_NS", "SECURED", "RPS", "SUCCESS"}};
    for (const auto &edge : topology->edges)
        rows.push_back(
            {edge.sourceService, edge.destinationService, edge.sourceNs,
             edge.destinationNs.empty() ? "-" : edge.destinationNs,
             edge.mtls ? "mTLS" : (edge.destinationMeshed ? "no" : "no (unknown service)"),
             formatRps(edge.traffic.rps), successOf(edge.traffic)});
    printTable(out, rows);
    return ExitOk;
}

int runRoutesVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err)
{
    auto args = parseArgs(rest, {{"admin"}, {"state-dir"}, {"json", false}, {"help", false}});
    if (!args)
        return usageError(err, "routes", args.error().message);
    if (args->has("help")) {
        out << "Usage: meshd routes SERVICE [--json] [--admin ADDR] [--state-dir DIR]\n\n"
               "A service's routes (and 'default' for requests matching none) over the last 30 s: "
               "rate, success,\n"
               "p50/p95/p99, the route's timeout and retry limit, and the retries and timeouts so "
               "far.\n";
        return ExitOk;
    }
    if (args->positional().size() != 1)
        return usageError(err, "routes", "name one service: meshd routes catalog.shop");
    CommonFlags common;
    if (auto problem = readCommonFlags(*args, common))
        return usageError(err, "routes", *problem);
    auto client = adminClient(common);
    auto routes = client ? (*client)->routes(args->positional().front())
                         : Result<admin::ServiceRoutes>(tl::unexpected(client.error()));
    if (!routes) {
        err << "meshd routes: " << routes.error().message << "\n";
        return ExitFailed;
    }
    if (args->has("json")) {
        out << dumpJson(admin::toJson(*routes), 2) << "\n";
        return ExitOk;
    }
    std::vector<std::vector<std::string>> rows
        = {{"ROUTE", "SERVICE", "SUCCESS", "RPS", "LATENCY_P50", "LATENCY_P95", "LATENCY_P99",
            "TIMEOUT", "RETRIES", "TIMEOUTS"}};
    const std::string service = qualifiedName(routes->service, routes->ns);
    for (const auto &route : routes->routes) {
        const auto &t = route.traffic;
        rows.push_back({route.name, service, successOf(t), formatRps(t.rps), latencyOf(t, t.p50Ms),
                        latencyOf(t, t.p95Ms), latencyOf(t, t.p99Ms),
                        route.timeoutMs ? formatMs(static_cast<double>(*route.timeoutMs)) : "-",
                        std::to_string(static_cast<long long>(route.retriesTotal)),
                        std::to_string(static_cast<long long>(route.timeoutsTotal))});
    }
    printTable(out, rows);
    return ExitOk;
}

} // namespace meshcore::cli
