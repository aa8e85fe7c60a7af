#include "daemon/topology_routes.h"
#include "core/service_key.h"

#include <algorithm>
#include <map>

#include "admin/api_json.h"
#include "core/duration.h"
#include "core/json_dump.h"

namespace meshcore::daemon {
namespace {

using admin::ApiRequest;
using telemetry::EdgeStats;

constexpr std::chrono::seconds DefaultWindow{30};

admin::TrafficFigures figuresOf(const telemetry::TrafficSummary &summary)
{
    admin::TrafficFigures figures;
    figures.requests = static_cast<std::int64_t>(summary.requests);
    figures.rps = summary.rps();
    if (summary.requests)
        figures.successRate = summary.successRate();
    figures.p50Ms = summary.p50Ms;
    figures.p95Ms = summary.p95Ms;
    figures.p99Ms = summary.p99Ms;
    return figures;
}

admin::TrafficFigures figuresOf(const EdgeStats::Counts &counts, std::chrono::seconds window)
{
    telemetry::TrafficSummary summary;
    summary.requests = counts.requests;
    summary.failures = counts.failures;
    summary.seconds = static_cast<double>(window.count());
    counts.percentiles(summary);
    return figuresOf(summary);
}

struct EdgeTotals {
    telemetry::EdgeKey key; // route and versions not significant
    EdgeStats::Counts counts;
    std::map<std::string, EdgeStats::Counts> byVersion;
};

using NamePair = std::pair<std::string, std::string>; // service, namespace

// The edges' counts over the window, summed per service (into it) and per edge (service to
// service) over routes and versions; the unknown names called and the callers that are no service.
struct TopologyCounts {
    std::map<NamePair, EdgeStats::Counts> intoService;
    std::map<std::tuple<std::string, std::string, std::string, std::string>, EdgeTotals> perEdge;
    std::map<NamePair, bool> unknownNames;
    std::map<NamePair, std::string> clients; // with their identity

    TopologyCounts(const DataPlane &dataPlane, std::chrono::seconds window)
    {
        const auto now = std::chrono::system_clock::now();
        for (const auto &[key, stats] : dataPlane.metrics().traffic.edges()) {
            const auto counts = stats->counts(now, window);
            intoService[{key.dstService, key.dstNs}].add(counts);
            auto &edge = perEdge[{key.srcService, key.srcNs, key.dstService, key.dstNs}];
            edge.key = key;
            edge.counts.add(counts);
            if (key.meshed)
                edge.byVersion[key.dstVersion].add(counts);
            else
                unknownNames[{key.dstService, key.dstNs}] = true;
            if (!dataPlane.findDestination(qualifiedName(key.srcService, key.srcNs)))
                clients[{key.srcService, key.srcNs}] = key.srcIdentity;
        }
    }
};

admin::TopologyService topologyNode(const NamePair &name, const char *kind, bool meshed)
{
    admin::TopologyService service;
    service.name = name.first;
    service.ns = name.second;
    service.kind = kind;
    service.meshed = meshed;
    return service;
}

admin::TopologyEdge topologyEdge(const EdgeTotals &totals, std::chrono::seconds window)
{
    const auto &key = totals.key;
    admin::TopologyEdge edge;
    edge.sourceService = key.srcService;
    edge.sourceNs = key.srcNs;
    edge.sourceIdentity = key.srcIdentity;
    edge.destinationService = key.dstService;
    edge.destinationNs = key.dstNs;
    edge.destinationIdentity = key.dstIdentity;
    edge.destinationMeshed = key.meshed;
    edge.mtls = key.meshed; // every hop between meshed proxies is mTLS; an unknown name never left
                            // the caller's proxy
    edge.traffic = figuresOf(totals.counts, window);
    for (const auto &[version, counts] : totals.byVersion) {
        admin::VersionShare share;
        share.version = version;
        share.share = totals.counts.requests
            ? static_cast<double>(counts.requests) / totals.counts.requests
            : 0.0;
        share.traffic = figuresOf(counts, window);
        edge.versions.push_back(std::move(share));
    }
    return edge;
}

admin::Topology topologyOf(const DataPlane &dataPlane, std::chrono::seconds window)
{
    TopologyCounts counts(dataPlane, window);
    admin::Topology topology;
    topology.windowSeconds = static_cast<int>(window.count());
    for (const auto &destination : *dataPlane.destinations()) {
        auto service = topologyNode({destination->service, destination->ns}, "service", true);
        for (const auto &backend : destination->balancer->split())
            service.versions.push_back(backend.version);
        service.traffic
            = figuresOf(counts.intoService[{destination->service, destination->ns}], window);
        topology.services.push_back(std::move(service));
    }
    for (const auto &[name, identity] : counts.clients) {
        auto client = topologyNode(name, "client", true);
        client.identity = identity;
        topology.services.push_back(std::move(client));
    }
    for (const auto &[name, unused] : counts.unknownNames) {
        auto unknown = topologyNode(name, "unknown", false);
        unknown.traffic = figuresOf(counts.intoService[name], window);
        topology.services.push_back(std::move(unknown));
    }
    for (const auto &[names, totals] : counts.perEdge)
        topology.edges.push_back(topologyEdge(totals, window));
    return topology;
}

// Per route of a service: the same figures, plus what the route's policy says and what the
// retries and timeouts did (totals since start, from the route metrics).
admin::ServiceRoutes routesOf(const DataPlane &dataPlane, const proxy::Destination &destination)
{
    const auto now = std::chrono::system_clock::now();
    std::map<std::string, EdgeStats::Counts> byRoute;
    for (const auto &[key, stats] : dataPlane.metrics().traffic.edges())
        if (key.meshed && key.dstService == destination.service && key.dstNs == destination.ns)
            byRoute[key.route].add(stats->counts(now, DefaultWindow));
    // Totals from the route metrics, summed over callers.
    const auto total = [&](const telemetry::Family<telemetry::Counter> &family,
                           const std::string &route, const char *error) {
        double sum = 0;
        family.forEach([&](const telemetry::Labels &labels, const telemetry::Counter &counter) {
            bool parent = false, routeMatch = false, errorMatch = error == nullptr;
            for (const auto &[k, v] : labels) {
                parent = parent || (k == "parent_name" && v == destination.service);
                routeMatch = routeMatch || (k == "route_name" && v == route);
                errorMatch = errorMatch || (error && k == "error" && v == error);
            }
            if (parent && routeMatch && errorMatch)
                sum += static_cast<double>(counter.value());
        });
        return sum;
    };
    const auto &metrics = dataPlane.metrics();
    std::vector<std::pair<std::string, control::RequestPolicy>> names;
    for (const auto &route : destination.routes)
        names.emplace_back(route.name, route.policy.over(destination.policy));
    names.emplace_back("default", destination.policy);
    admin::ServiceRoutes routes;
    routes.service = destination.service;
    routes.ns = destination.ns;
    routes.windowSeconds = static_cast<int>(DefaultWindow.count());
    for (const auto &[routeName, policy] : names) {
        admin::RouteFigures route;
        route.name = routeName;
        route.traffic = figuresOf(byRoute[routeName], DefaultWindow);
        if (policy.timeout)
            route.timeoutMs = static_cast<std::int64_t>(policy.timeout->count());
        route.retryLimit = policy.retries ? policy.retries->limit : 0u;
        route.retriesTotal = total(metrics.retryRequests, routeName, nullptr);
        route.timeoutsTotal = total(metrics.routeStatuses, routeName, "timeout");
        routes.routes.push_back(std::move(route));
    }
    return routes;
}

// The last 15 minutes of a service (as its callers saw it), in 10-second points, for charts.
admin::ServiceHistory historyOf(const DataPlane &dataPlane, const proxy::Destination &destination)
{
    const auto now = std::chrono::system_clock::now();
    std::vector<std::pair<std::int64_t, EdgeStats::Counts>> sum;
    for (const auto &[key, stats] : dataPlane.metrics().traffic.edges()) {
        if (!key.meshed || key.dstService != destination.service || key.dstNs != destination.ns)
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
    admin::ServiceHistory history;
    history.service = destination.service;
    history.ns = destination.ns;
    history.stepSeconds = EdgeStats::HistorySlotSeconds;
    const double nowUnix = std::chrono::duration<double>(now.time_since_epoch()).count();
    for (auto point : EdgeStats::toPoints(sum)) {
        // The slot still filling has had only part of its 10 s: its rate is over those.
        point.summary.seconds = std::clamp(nowUnix - static_cast<double>(point.unixSeconds), 1.0,
                                           point.summary.seconds);
        admin::HistoryPoint p;
        p.timeUnix = point.unixSeconds;
        p.traffic = figuresOf(point.summary);
        history.points.push_back(std::move(p));
    }
    return history;
}

} // namespace

void addTopologyRoutes(admin::AdminApi &api, const AdminContext &context)
{
    api.route("GET", "/api/v1/topology", [context](const ApiRequest &request) {
        auto window = DefaultWindow;
        if (const auto text = admin::queryParameter(request.target, "window")) {
            const auto parsed = parseDuration(*text);
            if (!parsed || *parsed < std::chrono::seconds(1)
                || *parsed > std::chrono::seconds(EdgeStats::RecentSeconds))
                return admin::errorResponse(400, admin::ApiErrorCode::InvalidArgument,
                                            "window is a duration from 1s to 60s, like 30s");
            window = std::chrono::duration_cast<std::chrono::seconds>(*parsed);
        }
        return admin::jsonResponse(200,
                                   dumpJson(admin::toJson(topologyOf(*context.dataPlane, window))));
    });

    api.route("GET", "/api/v1/routes", [context](const ApiRequest &request) {
        auto found = destinationNamedIn(context, request);
        if (auto *error = std::get_if<admin::ApiResponse>(&found))
            return *error;
        return admin::jsonResponse(
            200, dumpJson(admin::toJson(routesOf(*context.dataPlane, *std::get<0>(found)))));
    });

    api.route("GET", "/api/v1/history", [context](const ApiRequest &request) {
        auto found = destinationNamedIn(context, request);
        if (auto *error = std::get_if<admin::ApiResponse>(&found))
            return *error;
        return admin::jsonResponse(
            200, dumpJson(admin::toJson(historyOf(*context.dataPlane, *std::get<0>(found)))));
    });
}

} // namespace meshcore::daemon
