// The JSON of the traffic views: GET /api/v1/topology, /api/v1/routes and /api/v1/history,
// written by the daemon (daemon/routes/topology_routes.cpp) and read by the client, the CLI and the
// app.
#include "admin/api_json_support.h"

namespace meshcore::admin {
namespace {

using detail::numberOrNull;
using detail::optionalNumber;
using detail::optionalValue;
using detail::parsed;

// The figures are members of the object they describe: {"name": ..., "requests": 12, ...}.
void putFigures(nlohmann::json &json, const TrafficFigures &figures)
{
    json["requests"] = figures.requests;
    json["rps"] = figures.rps;
    json["success_rate"] = numberOrNull(figures.successRate);
    json["p50_ms"] = figures.p50Ms;
    json["p95_ms"] = figures.p95Ms;
    json["p99_ms"] = figures.p99Ms;
}

TrafficFigures figuresFrom(const nlohmann::json &json)
{
    TrafficFigures figures;
    figures.requests = optionalValue<std::int64_t>(json, "requests", 0);
    figures.rps = optionalValue<double>(json, "rps", 0);
    figures.successRate = optionalNumber(json, "success_rate");
    figures.p50Ms = optionalValue<double>(json, "p50_ms", 0);
    figures.p95Ms = optionalValue<double>(json, "p95_ms", 0);
    figures.p99Ms = optionalValue<double>(json, "p99_ms", 0);
    return figures;
}

nlohmann::json toJson(const TopologyService &service)
{
    nlohmann::json json = {{"name", service.name},
                           {"namespace", service.ns},
                           {"kind", service.kind},
                           {"meshed", service.meshed},
                           {"versions", service.versions}};
    if (service.kind == "client")
        json["identity"] = service.identity;
    else
        putFigures(json, service.traffic);
    return json;
}

nlohmann::json toJson(const TopologyEdge &edge)
{
    nlohmann::json json = {
        {"source",
         {{"service", edge.sourceService},
          {"namespace", edge.sourceNs},
          {"identity", edge.sourceIdentity}}},
        {"destination",
         {{"service", edge.destinationService},
          {"namespace", edge.destinationNs},
          {"identity", edge.destinationIdentity},
          {"meshed", edge.destinationMeshed}}},
        {"mtls", edge.mtls},
    };
    putFigures(json, edge.traffic);
    nlohmann::json versions = nlohmann::json::array();
    for (const auto &share : edge.versions) {
        nlohmann::json v = {{"version", share.version}, {"share", share.share}};
        putFigures(v, share.traffic);
        versions.push_back(std::move(v));
    }
    json["versions"] = std::move(versions);
    json["protocols"] = edge.protocols;
    if (edge.tcp)
        json["tcp"] = {{"open_connections", edge.tcp->openConnections},
                       {"connections_per_second", edge.tcp->connectionsPerSecond},
                       {"sent_bytes_per_second", edge.tcp->sentBytesPerSecond},
                       {"received_bytes_per_second", edge.tcp->receivedBytesPerSecond},
                       {"refused_total", edge.tcp->refusedTotal}};
    return json;
}

TopologyService serviceFrom(const nlohmann::json &s)
{
    TopologyService service;
    service.name = s.at("name").get<std::string>();
    service.ns = s.at("namespace").get<std::string>();
    service.kind = s.at("kind").get<std::string>();
    service.meshed = s.at("meshed").get<bool>();
    service.versions = s.at("versions").get<std::vector<std::string>>();
    service.identity = s.value("identity", "");
    service.traffic = figuresFrom(s);
    return service;
}

TopologyEdge edgeFrom(const nlohmann::json &e)
{
    TopologyEdge edge;
    const auto &source = e.at("source");
    const auto &destination = e.at("destination");
    edge.sourceService = source.at("service").get<std::string>();
    edge.sourceNs = source.at("namespace").get<std::string>();
    edge.sourceIdentity = source.value("identity", "");
    edge.destinationService = destination.at("service").get<std::string>();
    edge.destinationNs = destination.at("namespace").get<std::string>();
    edge.destinationIdentity = destination.value("identity", "");
    edge.destinationMeshed = destination.value("meshed", false);
    edge.mtls = e.at("mtls").get<bool>();
    edge.traffic = figuresFrom(e);
    for (const auto &v : e.value("versions", nlohmann::json::array())) {
        VersionShare share;
        share.version = v.at("version").get<std::string>();
        share.share = optionalValue<double>(v, "share", 0);
        share.traffic = figuresFrom(v);
        edge.versions.push_back(std::move(share));
    }
    if (const auto protocols = e.find("protocols"); protocols != e.end())
        edge.protocols = protocols->get<std::vector<std::string>>();
    if (const auto tcp = e.find("tcp"); tcp != e.end() && tcp->is_object()) {
        TcpFigures figures;
        figures.openConnections = optionalValue<std::int64_t>(*tcp, "open_connections", 0);
        figures.connectionsPerSecond = optionalValue<double>(*tcp, "connections_per_second", 0);
        figures.sentBytesPerSecond = optionalValue<double>(*tcp, "sent_bytes_per_second", 0);
        figures.receivedBytesPerSecond
            = optionalValue<double>(*tcp, "received_bytes_per_second", 0);
        figures.refusedTotal = optionalValue<std::int64_t>(*tcp, "refused_total", 0);
        edge.tcp = figures;
    }
    return edge;
}

} // namespace

nlohmann::json toJson(const Topology &topology)
{
    nlohmann::json services = nlohmann::json::array();
    for (const auto &service : topology.services)
        services.push_back(toJson(service));
    nlohmann::json edges = nlohmann::json::array();
    for (const auto &edge : topology.edges)
        edges.push_back(toJson(edge));
    return {{"window_seconds", topology.windowSeconds},
            {"services", std::move(services)},
            {"edges", std::move(edges)}};
}

Result<Topology> topologyFromJson(const nlohmann::json &json)
{
    return parsed<Topology>("topology", [&] {
        Topology topology;
        topology.windowSeconds = json.at("window_seconds").get<int>();
        for (const auto &s : json.at("services"))
            topology.services.push_back(serviceFrom(s));
        for (const auto &e : json.at("edges"))
            topology.edges.push_back(edgeFrom(e));
        return topology;
    });
}

nlohmann::json toJson(const ServiceRoutes &routes)
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto &route : routes.routes) {
        nlohmann::json r = {{"name", route.name}};
        putFigures(r, route.traffic);
        r["timeout_ms"] = numberOrNull(route.timeoutMs);
        r["retry_limit"] = route.retryLimit;
        r["retries_total"] = route.retriesTotal;
        r["timeouts_total"] = route.timeoutsTotal;
        list.push_back(std::move(r));
    }
    return {{"service", routes.service},
            {"namespace", routes.ns},
            {"from", routes.from},
            {"window_seconds", routes.windowSeconds},
            {"routes", std::move(list)}};
}

Result<ServiceRoutes> serviceRoutesFromJson(const nlohmann::json &json)
{
    return parsed<ServiceRoutes>("routes", [&] {
        ServiceRoutes routes;
        routes.service = json.at("service").get<std::string>();
        routes.ns = json.at("namespace").get<std::string>();
        routes.from = optionalValue<std::string>(json, "from", "");
        routes.windowSeconds = optionalValue<int>(json, "window_seconds", 0);
        for (const auto &r : json.at("routes")) {
            RouteFigures route;
            route.name = r.at("name").get<std::string>();
            route.traffic = figuresFrom(r);
            if (const auto timeout = optionalNumber(r, "timeout_ms"))
                route.timeoutMs = static_cast<std::int64_t>(*timeout);
            route.retryLimit = optionalValue<unsigned>(r, "retry_limit", 0);
            route.retriesTotal = optionalValue<double>(r, "retries_total", 0);
            route.timeoutsTotal = optionalValue<double>(r, "timeouts_total", 0);
            routes.routes.push_back(std::move(route));
        }
        return routes;
    });
}

nlohmann::json toJson(const ServiceHistory &history)
{
    nlohmann::json points = nlohmann::json::array();
    for (const auto &point : history.points) {
        nlohmann::json p = {{"time_unix", point.timeUnix}};
        putFigures(p, point.traffic);
        points.push_back(std::move(p));
    }
    return {{"service", history.service},
            {"namespace", history.ns},
            {"from", history.from},
            {"range_seconds", history.rangeSeconds},
            {"step_seconds", history.stepSeconds},
            {"points", std::move(points)}};
}

Result<ServiceHistory> serviceHistoryFromJson(const nlohmann::json &json)
{
    return parsed<ServiceHistory>("history", [&] {
        ServiceHistory history;
        history.service = json.at("service").get<std::string>();
        history.ns = json.at("namespace").get<std::string>();
        history.stepSeconds = json.at("step_seconds").get<int>();
        history.from = optionalValue<std::string>(json, "from", "");
        // Older meshds answer 90 points of 10 s and do not say so.
        history.rangeSeconds = optionalValue<int>(json, "range_seconds", 900);
        for (const auto &p : json.at("points")) {
            HistoryPoint point;
            point.timeUnix = p.at("time_unix").get<std::int64_t>();
            point.traffic = figuresFrom(p);
            history.points.push_back(point);
        }
        return history;
    });
}

} // namespace meshcore::admin
