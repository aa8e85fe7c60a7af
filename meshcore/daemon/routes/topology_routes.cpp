#include "daemon/routes/topology_routes.h"
#include "core/service_key.h"

#include <algorithm>
#include <map>
#include <set>
#include <variant>

#include "admin/api_json.h"
#include "core/duration.h"
#include "core/json_dump.h"
#include "daemon/routes/traffic_views.h"

namespace meshcore::daemon {
namespace {

using admin::ApiRequest;
using telemetry::EdgeStats;
using namespace traffic_views;

struct EdgeTotals {
    telemetry::EdgeKey key; // route and versions not significant
    bool http = false; // the edge carried requests
    EdgeStats::Counts counts;
    std::map<std::string, EdgeStats::Counts> byVersion;
    std::optional<admin::TcpFigures> tcp; // the edge carried opaque TCP
};

// Adds one TCP edge's figures (a version's) to an edge's.
void addTcp(std::optional<admin::TcpFigures> &sum, const telemetry::TcpEdgeStats::Figures &tcp)
{
    if (!sum)
        sum.emplace();
    sum->openConnections += tcp.open;
    sum->connectionsPerSecond += tcp.openedPerSecond;
    sum->sentBytesPerSecond += tcp.sentBytesPerSecond;
    sum->receivedBytesPerSecond += tcp.receivedBytesPerSecond;
    sum->refusedTotal += static_cast<std::int64_t>(tcp.refused);
}

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
            if (telemetry::isAnalysisTraffic(key))
                continue; // a rollout's own requests are not the service's users'
            const auto counts = stats->counts(now, window);
            intoService[{key.dstService, key.dstNs}].add(counts);
            auto &edge = perEdge[{key.srcService, key.srcNs, key.dstService, key.dstNs}];
            edge.key = key;
            edge.http = true;
            edge.counts.add(counts);
            if (key.meshed)
                edge.byVersion[key.dstVersion].add(counts);
            else
                unknownNames[{key.dstService, key.dstNs}] = true;
            if (!dataPlane.findDestination(qualifiedName(key.srcService, key.srcNs)))
                clients[{key.srcService, key.srcNs}] = key.srcIdentity;
        }
        for (const auto &[key, stats] : dataPlane.metrics().tcpEdges.edges()) {
            auto &edge = perEdge[{key.srcService, key.srcNs, key.dstService, key.dstNs}];
            if (!edge.http)
                edge.key = key;
            addTcp(edge.tcp, stats->figures(now, window));
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
    edge.protocols.clear();
    if (totals.http)
        edge.protocols.emplace_back("http");
    if (totals.tcp)
        edge.protocols.emplace_back("tcp");
    edge.tcp = totals.tcp;
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

// ?range=5m|15m|1h (default 15m), or the error response to send.
std::variant<EdgeStats::Range, admin::ApiResponse> rangeIn(const ApiRequest &request)
{
    const auto text = admin::queryParameter(request.target, "range").value_or("15m");
    if (text == "5m")
        return EdgeStats::FiveMinutes;
    if (text == "15m")
        return EdgeStats::FifteenMinutes;
    if (text == "1h")
        return EdgeStats::Hour;
    return admin::errorResponse(400, admin::ApiErrorCode::InvalidArgument,
                                "range is 5m, 15m or 1h, not '" + text + "'");
}

// ?from=NAME or NAME.NAMESPACE: a service of the mesh or a caller `destination` has seen (the
// local clients); nothing without it; or the error response to send (unknown, ambiguous).
std::variant<std::optional<ServiceKey>, admin::ApiResponse>
callerIn(const AdminContext &context, const ApiRequest &request,
         const proxy::Destination &destination)
{
    const auto text = admin::queryParameter(request.target, "from");
    if (!text || text->empty())
        return std::optional<ServiceKey>();
    std::set<NamePair> known; // (ServiceKey's defaulted <=> trips clang-tidy 14's use-nullptr)
    for (const auto &d : *context.dataPlane.destinations())
        known.insert({d->service, d->ns});
    for (const auto &[key, stats] : context.dataPlane.metrics().traffic.edges())
        if (key.dstService == destination.service && key.dstNs == destination.ns
            && !telemetry::isAnalysisTraffic(key))
            known.insert({key.srcService, key.srcNs});
    const auto dot = text->find('.');
    const auto name = text->substr(0, dot);
    const auto ns = dot == std::string::npos ? std::string() : text->substr(dot + 1);
    std::vector<ServiceKey> matches;
    std::string names; // the first few: a mesh of a thousand services makes no readable error
    constexpr std::size_t Listed = 8;
    std::size_t count = 0;
    for (const auto &[knownName, knownNs] : known) {
        if (count++ < Listed)
            names += (names.empty() ? "" : ", ") + qualifiedName(knownName, knownNs);
        if (knownName == name && (ns.empty() || knownNs == ns))
            matches.push_back({knownName, knownNs});
    }
    if (count > Listed)
        names += " and " + std::to_string(count - Listed) + " more";
    const auto self = qualifiedName(destination.service, destination.ns);
    if (matches.size() == 1)
        return std::optional<ServiceKey>(matches.front());
    return admin::errorResponse(
        400, admin::ApiErrorCode::InvalidArgument,
        matches.empty() ? "from names no service of the mesh and no caller of " + self + ": '"
                + *text + "' (known: " + names + ")"
                        : "from '" + *text + "' is in several namespaces: name one, like "
                + matches.front().qualified());
}

// The destination, the caller and the range a history or routes request names, or the error.
struct EdgeQuery {
    std::shared_ptr<const proxy::Destination> destination;
    std::optional<ServiceKey> from;
    EdgeStats::Range range = EdgeStats::FifteenMinutes;
};
std::variant<EdgeQuery, admin::ApiResponse> edgeQueryIn(const AdminContext &context,
                                                        const ApiRequest &request)
{
    auto found = destinationNamedIn(context, request);
    if (auto *error = std::get_if<admin::ApiResponse>(&found))
        return *error;
    EdgeQuery query;
    query.destination = std::get<0>(found);
    auto from = callerIn(context, request, *query.destination);
    if (auto *error = std::get_if<admin::ApiResponse>(&from))
        return *error;
    query.from = std::get<0>(from);
    auto range = rangeIn(request);
    if (auto *error = std::get_if<admin::ApiResponse>(&range))
        return *error;
    query.range = std::get<0>(range);
    return query;
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
                                   dumpJson(admin::toJson(topologyOf(context.dataPlane, window))));
    });

    api.route("GET", "/api/v1/routes", [context](const ApiRequest &request) {
        auto query = edgeQueryIn(context, request);
        if (auto *error = std::get_if<admin::ApiResponse>(&query))
            return *error;
        const auto &edge = std::get<0>(query);
        return admin::jsonResponse(
            200,
            dumpJson(admin::toJson(routesOf(context.dataPlane, *edge.destination, edge.from))));
    });

    api.route("GET", "/api/v1/history", [context](const ApiRequest &request) {
        auto query = edgeQueryIn(context, request);
        if (auto *error = std::get_if<admin::ApiResponse>(&query))
            return *error;
        const auto &edge = std::get<0>(query);
        return admin::jsonResponse(
            200,
            dumpJson(admin::toJson(
                historyOf(context.dataPlane, *edge.destination, edge.from, edge.range))));
    });
}

} // namespace meshcore::daemon
