#include "daemon/topology_routes.h"
#include "core/service_key.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "core/duration.h"
#include "core/json_dump.h"

namespace meshcore::daemon {
namespace {

using admin::ApiRequest;
using telemetry::EdgeStats;

constexpr std::chrono::seconds DefaultWindow{30};

void putFigures(nlohmann::json &json, const EdgeStats::Counts &counts, std::chrono::seconds window)
{
    telemetry::TrafficSummary summary;
    summary.requests = counts.requests;
    summary.failures = counts.failures;
    summary.seconds = static_cast<double>(window.count());
    counts.percentiles(summary);
    json["requests"] = summary.requests;
    json["rps"] = summary.rps();
    json["success_rate"] = summary.requests ? nlohmann::json(summary.successRate()) : nlohmann::json(nullptr);
    json["p50_ms"] = summary.p50Ms;
    json["p95_ms"] = summary.p95Ms;
    json["p99_ms"] = summary.p99Ms;
}

struct EdgeTotals {
    telemetry::EdgeKey key; // route and versions not significant
    EdgeStats::Counts counts;
    std::map<std::string, EdgeStats::Counts> byVersion;
};

} // namespace

void addTopologyRoutes(admin::AdminApi &api, const AdminContext &context)
{
    api.route("GET", "/api/v1/topology", [context](const ApiRequest &request) {
        auto window = DefaultWindow;
        if (const auto text = admin::queryParameter(request.target, "window")) {
            const auto parsed = parseDuration(*text);
            if (!parsed || *parsed < std::chrono::seconds(1) || *parsed > std::chrono::seconds(EdgeStats::RecentSeconds))
                return admin::errorResponse(400, "invalid-argument", "window is a duration from 1s to 60s, like 30s");
            window = std::chrono::duration_cast<std::chrono::seconds>(*parsed);
        }
        const auto now = std::chrono::system_clock::now();
        const auto edges = context.dataPlane->metrics().traffic.edges();

        // Per service (into it) and per edge (service to service), summed over routes and versions.
        std::map<std::pair<std::string, std::string>, EdgeStats::Counts> intoService;
        std::map<std::tuple<std::string, std::string, std::string, std::string>, EdgeTotals> perEdge;
        std::map<std::pair<std::string, std::string>, bool> unknownNames;
        std::map<std::pair<std::string, std::string>, std::string> clients; // sources that are no service
        for (const auto &[key, stats] : edges) {
            const auto counts = stats->counts(now, window);
            intoService[{key.dstService, key.dstNs}].add(counts);
            auto &edge = perEdge[{key.srcService, key.srcNs, key.dstService, key.dstNs}];
            edge.key = key;
            edge.counts.add(counts);
            if (key.meshed)
                edge.byVersion[key.dstVersion].add(counts);
            else
                unknownNames[{key.dstService, key.dstNs}] = true;
            if (!context.dataPlane->findDestination(qualifiedName(key.srcService, key.srcNs)))
                clients[{key.srcService, key.srcNs}] = key.srcIdentity;
        }

        nlohmann::json services = nlohmann::json::array();
        for (const auto &destination : *context.dataPlane->destinations()) {
            nlohmann::json versions = nlohmann::json::array();
            for (const auto &backend : destination->balancer->split())
                versions.push_back(backend.version);
            nlohmann::json service = {{"name", destination->service}, {"namespace", destination->ns}, {"kind", "service"},
                                      {"meshed", true}, {"versions", versions}};
            putFigures(service, intoService[{destination->service, destination->ns}], window);
            services.push_back(service);
        }
        for (const auto &[name, identity] : clients)
            services.push_back({{"name", name.first}, {"namespace", name.second}, {"kind", "client"}, {"meshed", true},
                                {"identity", identity}, {"versions", nlohmann::json::array()}});
        for (const auto &[name, unused] : unknownNames) {
            nlohmann::json unknown = {{"name", name.first}, {"namespace", name.second}, {"kind", "unknown"}, {"meshed", false},
                                      {"versions", nlohmann::json::array()}};
            putFigures(unknown, intoService[name], window);
            services.push_back(unknown);
        }

        nlohmann::json edgeList = nlohmann::json::array();
        for (const auto &[names, totals] : perEdge) {
            const auto &key = totals.key;
            nlohmann::json edge = {
                {"source", {{"service", key.srcService}, {"namespace", key.srcNs}, {"identity", key.srcIdentity}}},
                {"destination", {{"service", key.dstService}, {"namespace", key.dstNs}, {"identity", key.dstIdentity}, {"meshed", key.meshed}}},
                {"mtls", key.meshed}, // every hop between meshed proxies is mTLS; an unknown name never left the caller's proxy
            };
            putFigures(edge, totals.counts, window);
            nlohmann::json versions = nlohmann::json::array();
            for (const auto &[version, counts] : totals.byVersion) {
                nlohmann::json v = {{"version", version}};
                putFigures(v, counts, window);
                v["share"] = totals.counts.requests ? static_cast<double>(counts.requests) / totals.counts.requests : 0.0;
                versions.push_back(v);
            }
            edge["versions"] = versions;
            edgeList.push_back(edge);
        }
        return admin::jsonResponse(200,
                                   dumpJson(nlohmann::json {{"window_seconds", window.count()},
                                                            {"services", services},
                                                            {"edges", edgeList}}));
    });

    // Per route of a service: the same figures, plus what the route's policy says and what the
    // retries and timeouts did (totals since start, from the route metrics).
    api.route("GET", "/api/v1/routes", [context](const ApiRequest &request) {
        auto found = destinationNamedIn(context, request);
        if (auto *error = std::get_if<admin::ApiResponse>(&found))
            return *error;
        const auto destination = std::get<0>(found);
        const auto now = std::chrono::system_clock::now();
        std::map<std::string, EdgeStats::Counts> byRoute;
        for (const auto &[key, stats] : context.dataPlane->metrics().traffic.edges())
            if (key.meshed && key.dstService == destination->service && key.dstNs == destination->ns)
                byRoute[key.route].add(stats->counts(now, DefaultWindow));
        // Totals from the route metrics, summed over callers.
        const auto total = [&](const telemetry::Family<telemetry::Counter> &family, const std::string &route, const char *error) {
            double sum = 0;
            family.forEach([&](const telemetry::Labels &labels, const telemetry::Counter &counter) {
                bool parent = false, routeMatch = false, errorMatch = error == nullptr;
                for (const auto &[k, v] : labels) {
                    parent = parent || (k == "parent_name" && v == destination->service);
                    routeMatch = routeMatch || (k == "route_name" && v == route);
                    errorMatch = errorMatch || (error && k == "error" && v == error);
                }
                if (parent && routeMatch && errorMatch)
                    sum += static_cast<double>(counter.value());
            });
            return sum;
        };
        const auto &metrics = context.dataPlane->metrics();
        nlohmann::json routes = nlohmann::json::array();
        std::vector<std::pair<std::string, control::RequestPolicy>> names;
        for (const auto &route : destination->routes)
            names.emplace_back(route.name, route.policy.over(destination->policy));
        names.emplace_back("default", destination->policy);
        for (const auto &[routeName, policy] : names) {
            nlohmann::json route = {{"name", routeName}};
            putFigures(route, byRoute[routeName], DefaultWindow);
            route["timeout_ms"] = policy.timeout ? nlohmann::json(policy.timeout->count()) : nlohmann::json(nullptr);
            route["retry_limit"] = policy.retries ? policy.retries->limit : 0u;
            route["retries_total"] = total(metrics.retryRequests, routeName, nullptr);
            route["timeouts_total"] = total(metrics.routeStatuses, routeName, "timeout");
            routes.push_back(route);
        }
        return admin::jsonResponse(
            200,
            dumpJson(nlohmann::json {{"service", destination->service},
                                     {"namespace", destination->ns},
                                     {"window_seconds", DefaultWindow.count()},
                                     {"routes", routes}}));
    });

    // The last 15 minutes of a service (as its callers saw it), in 10-second points, for charts.
    api.route("GET", "/api/v1/history", [context](const ApiRequest &request) {
        auto found = destinationNamedIn(context, request);
        if (auto *error = std::get_if<admin::ApiResponse>(&found))
            return *error;
        const auto destination = std::get<0>(found);
        const auto now = std::chrono::system_clock::now();
        std::vector<std::pair<std::int64_t, EdgeStats::Counts>> sum;
        for (const auto &[key, stats] : context.dataPlane->metrics().traffic.edges()) {
            if (!key.meshed || key.dstService != destination->service || key.dstNs != destination->ns)
                continue;
            const auto counts = stats->historyCounts(now);
            if (sum.empty())
                sum = counts;
            else
                for (std::size_t i = 0; i < sum.size() && i < counts.size(); ++i)
                    sum[i].second.add(counts[i].second);
        }
        if (sum.empty())
            sum = EdgeStats().historyCounts(now); // no traffic yet: empty points
        nlohmann::json points = nlohmann::json::array();
        const double nowUnix = std::chrono::duration<double>(now.time_since_epoch()).count();
        for (auto point : EdgeStats::toPoints(sum)) {
            nlohmann::json p = {{"time_unix", point.unixSeconds}};
            p["requests"] = point.summary.requests;
            // The slot still filling has had only part of its 10 s: its rate is over those.
            point.summary.seconds = std::clamp(nowUnix - static_cast<double>(point.unixSeconds), 1.0, point.summary.seconds);
            p["rps"] = point.summary.rps();
            p["success_rate"] = point.summary.requests ? nlohmann::json(point.summary.successRate()) : nlohmann::json(nullptr);
            p["p50_ms"] = point.summary.p50Ms;
            p["p95_ms"] = point.summary.p95Ms;
            p["p99_ms"] = point.summary.p99Ms;
            points.push_back(p);
        }
        return admin::jsonResponse(
            200,
            dumpJson(nlohmann::json {{"service", destination->service},
                                     {"namespace", destination->ns},
                                     {"step_seconds", EdgeStats::HistorySlotSeconds},
                                     {"points", points}}));
    });
}

} // namespace meshcore::daemon
