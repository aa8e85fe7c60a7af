// Parsing of the admin API's read-only views, for the desktop app's client.
#include "admin/api_json.h"

namespace meshcore::admin {
namespace {

template <typename T>
T optionalValue(const nlohmann::json &json, const char *key, T fallback)
{
    const auto it = json.find(key);
    return it == json.end() || it->is_null() ? fallback : it->get<T>();
}

std::optional<double> optionalNumber(const nlohmann::json &json, const char *key)
{
    const auto it = json.find(key);
    if (it == json.end() || !it->is_number())
        return std::nullopt;
    return it->get<double>();
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

// Runs `parse`, turning a JSON shape error into a Protocol error naming `what`.
template <typename T, typename Parse>
Result<T> parsed(const char *what, Parse parse)
{
    try {
        return parse();
    } catch (const nlohmann::json::exception &e) {
        return makeError(ErrorCode::Protocol, std::string("unexpected ") + what + " from meshd: " + e.what());
    }
}

} // namespace

Result<Topology> topologyFromJson(const nlohmann::json &json)
{
    return parsed<Topology>("topology", [&] {
        Topology topology;
        topology.windowSeconds = json.at("window_seconds").get<int>();
        for (const auto &s : json.at("services")) {
            TopologyService service;
            service.name = s.at("name").get<std::string>();
            service.ns = s.at("namespace").get<std::string>();
            service.kind = s.at("kind").get<std::string>();
            service.meshed = s.at("meshed").get<bool>();
            service.versions = s.at("versions").get<std::vector<std::string>>();
            service.identity = s.value("identity", "");
            service.traffic = figuresFrom(s);
            topology.services.push_back(std::move(service));
        }
        for (const auto &e : json.at("edges")) {
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
            for (const auto &v : e.value("versions", nlohmann::json::array()))
                edge.versions.push_back({v.at("version").get<std::string>(), optionalValue<double>(v, "share", 0), figuresFrom(v)});
            topology.edges.push_back(std::move(edge));
        }
        return topology;
    });
}

Result<ServiceRoutes> serviceRoutesFromJson(const nlohmann::json &json)
{
    return parsed<ServiceRoutes>("routes", [&] {
        ServiceRoutes routes;
        routes.service = json.at("service").get<std::string>();
        routes.ns = json.at("namespace").get<std::string>();
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

Result<ServiceHistory> serviceHistoryFromJson(const nlohmann::json &json)
{
    return parsed<ServiceHistory>("history", [&] {
        ServiceHistory history;
        history.service = json.at("service").get<std::string>();
        history.ns = json.at("namespace").get<std::string>();
        history.stepSeconds = json.at("step_seconds").get<int>();
        for (const auto &p : json.at("points"))
            history.points.push_back({p.at("time_unix").get<std::int64_t>(), figuresFrom(p)});
        return history;
    });
}

Result<std::vector<EventInfo>> eventsFromJson(const nlohmann::json &json)
{
    return parsed<std::vector<EventInfo>>("events", [&] {
        std::vector<EventInfo> events;
        for (const auto &e : json.at("events"))
            events.push_back({e.at("seq").get<std::uint64_t>(), e.at("time_unix_ms").get<std::int64_t>(), e.at("kind").get<std::string>(),
                              e.value("subject", ""), e.value("message", "")});
        return events;
    });
}

Result<std::vector<WorkloadStatus>> workloadsFromJson(const nlohmann::json &json)
{
    return parsed<std::vector<WorkloadStatus>>("workloads", [&] {
        std::vector<WorkloadStatus> workloads;
        for (const auto &w : json.at("workloads")) {
            WorkloadStatus status;
            status.pod = w.at("pod").get<std::string>();
            status.service = w.at("service").get<std::string>();
            status.ns = w.at("namespace").get<std::string>();
            status.version = w.at("version").get<std::string>();
            status.identity = w.value("identity", "");
            status.port = w.value("port", 0);
            status.ready = w.value("ready", true);
            status.certificateNotAfterUnix = optionalValue<std::int64_t>(w, "certificate_not_after_unix", 0);
            if (const auto process = w.find("process"); process != w.end() && process->is_object()) {
                status.supervised = true;
                status.processState = process->value("state", "");
                status.pid = optionalValue<std::int64_t>(*process, "pid", 0);
                status.restarts = process->value("restarts", 0);
                status.rssKib = optionalNumber(*process, "rss_kib");
                status.cpuPercent = optionalNumber(*process, "cpu_percent");
                status.rssTrendKibPerMin = optionalNumber(*process, "rss_trend_kib_per_min");
                status.rssKeepsGrowing = process->value("rss_keeps_growing", false);
            }
            if (const auto balancer = w.find("balancer"); balancer != w.end() && balancer->is_object()) {
                status.balancerState = balancer->value("state", "");
                status.latencyEwmaMs = optionalValue<double>(*balancer, "latency_ewma_ms", 0);
                status.ejections = balancer->value("ejections", 0);
            }
            workloads.push_back(std::move(status));
        }
        return workloads;
    });
}

Result<SplitInfo> splitFromJson(const nlohmann::json &json)
{
    return parsed<SplitInfo>("split", [&] {
        SplitInfo split;
        split.service = json.at("service").get<std::string>();
        split.ns = json.at("namespace").get<std::string>();
        for (const auto &b : json.at("backends"))
            split.backends.push_back({b.at("version").get<std::string>(), b.at("weight").get<unsigned>()});
        return split;
    });
}

} // namespace meshcore::admin
