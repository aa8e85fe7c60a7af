#include "cli/topology_commands.h"
#include "core/service_key.h"

#include <optional>
#include <ostream>

#include <nlohmann/json.hpp>

#include "cli/cli_common.h"
#include "core/json_dump.h"

namespace meshcore::cli {
namespace {

constexpr const char *StatHelp = R"(Usage: meshd stat [--window DURATION] [--json] [--admin ADDR] [--state-dir DIR]

Every service of the mesh with its request rate, success rate and p50/p95/p99 latency over the
last 30 s (or --window, up to 60s), as its callers see it; also the local clients and any name
called that is no service (MESHED no).
)";

constexpr const char *EdgesHelp = R"(Usage: meshd edges [--window DURATION] [--json] [--admin ADDR] [--state-dir DIR]

Who calls whom over the last 30 s (or --window): each edge between a caller and a service, with
its rate and success rate, and whether it is mTLS (SECURED). --json adds the identities of
both ends and the share of traffic per version.
)";

// The topology from meshd, or an exit status after printing why not.
std::optional<nlohmann::json> fetchTopology(const std::string &verb, const std::vector<std::string> &rest, const char *help,
                                            std::ostream &out, std::ostream &err, int &status, bool &json)
{
    auto args = parseArgs(rest, {{"admin"}, {"state-dir"}, {"window"}, {"json", false}, {"help", false}});
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
    json = args->has("json");
    const auto body = adminGet(common, "/api/v1/topology?window=" + args->value("window").value_or("30s"));
    if (!body) {
        err << "meshd " << verb << ": " << body.error().message << "\n";
        status = ExitFailed;
        return std::nullopt;
    }
    auto topology = nlohmann::json::parse(*body, nullptr, false);
    if (topology.is_discarded()) {
        err << "meshd " << verb << ": meshd's answer is not JSON\n";
        status = ExitFailed;
        return std::nullopt;
    }
    return topology;
}

std::string qualified(const nlohmann::json &node, const char *nameKey = "name")
{
    const std::string ns = node.value("namespace", "");
    return node.value(nameKey, "") + (ns.empty() ? "" : "." + ns);
}

std::string successOf(const nlohmann::json &figures)
{
    return figures.value("requests", 0) == 0 || figures["success_rate"].is_null() ? "-" : formatPercent(figures["success_rate"].get<double>());
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
        out << dumpJson((*topology)["services"], 2) << "\n";
        return ExitOk;
    }
    std::vector<std::vector<std::string>> rows = {{"NAME", "MESHED", "SUCCESS", "RPS", "LATENCY_P50", "LATENCY_P95", "LATENCY_P99"}};
    for (const auto &service : (*topology)["services"]) {
        if (service.value("kind", "") == "client")
            continue; // callers only; `meshd edges` shows them
        const bool any = service.value("requests", 0) > 0;
        rows.push_back({qualified(service), service.value("meshed", false) ? "yes" : "no", successOf(service),
                        formatRps(service.value("rps", 0.0)), any ? formatMs(service.value("p50_ms", 0.0)) : "-",
                        any ? formatMs(service.value("p95_ms", 0.0)) : "-", any ? formatMs(service.value("p99_ms", 0.0)) : "-"});
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
        out << dumpJson((*topology)["edges"], 2) << "\n";
        return ExitOk;
    }
    std::vector<std::vector<std::string>> rows = {{"SRC", "DST", "SRC_NS", "DST_NS", "SECURED", "RPS", "SUCCESS"}};
    for (const auto &edge : (*topology)["edges"]) {
        const auto &src = edge["source"];
        const auto &dst = edge["destination"];
        rows.push_back({src.value("service", ""), dst.value("service", ""), src.value("namespace", ""),
                        dst.value("namespace", "").empty() ? "-" : dst.value("namespace", ""),
                        edge.value("mtls", false) ? "mTLS" : (dst.value("meshed", true) ? "no" : "no (unknown service)"),
                        formatRps(edge.value("rps", 0.0)), successOf(edge)});
    }
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
               "A service's routes (and 'default' for requests matching none) over the last 30 s: rate, success,\n"
               "p50/p95/p99, the route's timeout and retry limit, and the retries and timeouts so far.\n";
        return ExitOk;
    }
    if (args->positional().size() != 1)
        return usageError(err, "routes", "name one service: meshd routes catalog.shop");
    CommonFlags common;
    if (auto problem = readCommonFlags(*args, common))
        return usageError(err, "routes", *problem);
    const auto body = adminGet(common, "/api/v1/routes?service=" + args->positional().front());
    if (!body) {
        err << "meshd routes: " << body.error().message << "\n";
        return ExitFailed;
    }
    const auto json = nlohmann::json::parse(*body, nullptr, false);
    if (json.is_discarded() || !json.contains("routes")) {
        err << "meshd routes: meshd's answer is not a list of routes\n";
        return ExitFailed;
    }
    if (args->has("json")) {
        out << dumpJson(json, 2) << "\n";
        return ExitOk;
    }
    std::vector<std::vector<std::string>> rows = {
        {"ROUTE", "SERVICE", "SUCCESS", "RPS", "LATENCY_P50", "LATENCY_P95", "LATENCY_P99", "TIMEOUT", "RETRIES", "TIMEOUTS"}};
    const std::string service = qualifiedName(json.value("service", ""), json.value("namespace", ""));
    for (const auto &route : json["routes"]) {
        const bool any = route.value("requests", 0) > 0;
        rows.push_back({route.value("name", ""), service, successOf(route), formatRps(route.value("rps", 0.0)),
                        any ? formatMs(route.value("p50_ms", 0.0)) : "-", any ? formatMs(route.value("p95_ms", 0.0)) : "-",
                        any ? formatMs(route.value("p99_ms", 0.0)) : "-",
                        route["timeout_ms"].is_null() ? "-" : formatMs(route["timeout_ms"].get<double>()),
                        std::to_string(static_cast<long long>(route.value("retries_total", 0.0))),
                        std::to_string(static_cast<long long>(route.value("timeouts_total", 0.0)))});
    }
    printTable(out, rows);
    return ExitOk;
}

} // namespace meshcore::cli
