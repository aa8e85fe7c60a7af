// The JSON of GET /api/v1/workloads, /api/v1/events, /api/v1/split(s), written by the daemon
// (daemon/routes/admin_routes.cpp, daemon/routes/policy_routes.cpp) and read by the client, the CLI
// and the app.
#include "admin/api_json_support.h"

namespace meshcore::admin {
namespace {

using detail::numberOrNull;
using detail::optionalNumber;
using detail::optionalValue;
using detail::parsed;

// {"pid": ..., "state": ..., ...}, or null when meshd does not run the workload.
nlohmann::json processJson(const WorkloadStatus &w)
{
    if (!w.supervised)
        return nullptr;
    nlohmann::json process = {{"pid", w.pid},
                              {"state", w.processState},
                              {"restarts", w.restarts},
                              {"last_exit_status", w.lastExitStatus},
                              {"last_error", w.lastError},
                              {"log", w.log}};
    if (w.rssKib) { // sampled: the resource figures come together
        process["rss_kib"] = static_cast<std::uint64_t>(*w.rssKib); // whole KiB
        process["cpu_percent"] = numberOrNull(w.cpuPercent);
        process["rss_trend_kib_per_min"] = numberOrNull(w.rssTrendKibPerMin);
        process["rss_keeps_growing"] = w.rssKeepsGrowing;
    }
    return process;
}

// {"state": ..., ...}, or null when the workload is in no balancer.
nlohmann::json balancerJson(const WorkloadStatus &w)
{
    if (w.balancerState.empty())
        return nullptr;
    return {{"state", w.balancerState},
            {"latency_ewma_ms", w.latencyEwmaMs},
            {"pending", w.pending},
            {"ejections", w.ejections}};
}

nlohmann::json upstreamsJson(const std::vector<UpstreamStatus> &upstreams)
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto &u : upstreams)
        list.push_back({{"service", u.service}, {"env", u.env}, {"address", u.address}});
    return list;
}

std::vector<UpstreamStatus> upstreamsFrom(const nlohmann::json &json, const char *key)
{
    std::vector<UpstreamStatus> upstreams;
    if (const auto list = json.find(key); list != json.end() && list->is_array()) // older meshds
        for (const auto &u : *list)
            upstreams.push_back({u.at("service").get<std::string>(), u.value("env", ""),
                                 u.at("address").get<std::string>()});
    return upstreams;
}

WorkloadStatus workloadFrom(const nlohmann::json &w)
{
    WorkloadStatus status;
    status.pod = w.at("pod").get<std::string>();
    status.service = w.at("service").get<std::string>();
    status.ns = w.at("namespace").get<std::string>();
    status.version = w.at("version").get<std::string>();
    status.identity = w.value("identity", "");
    status.port = w.value("port", 0);
    status.inbound = w.value("inbound", "");
    status.outbound = w.value("outbound", "");
    status.upstreams = upstreamsFrom(w, "upstreams");
    status.certificateSerial = w.value("certificate_serial", "");
    status.ready = w.value("ready", true);
    status.certificateNotAfterUnix
        = optionalValue<std::int64_t>(w, "certificate_not_after_unix", 0);
    if (const auto process = w.find("process"); process != w.end() && process->is_object()) {
        status.supervised = true;
        status.processState = process->value("state", "");
        status.pid = optionalValue<std::int64_t>(*process, "pid", 0);
        status.restarts = process->value("restarts", 0);
        status.lastExitStatus = process->value("last_exit_status", 0);
        status.lastError = process->value("last_error", "");
        status.log = process->value("log", "");
        status.rssKib = optionalNumber(*process, "rss_kib");
        status.cpuPercent = optionalNumber(*process, "cpu_percent");
        status.rssTrendKibPerMin = optionalNumber(*process, "rss_trend_kib_per_min");
        status.rssKeepsGrowing = process->value("rss_keeps_growing", false);
    }
    if (const auto balancer = w.find("balancer"); balancer != w.end() && balancer->is_object()) {
        status.balancerState = balancer->value("state", "");
        status.latencyEwmaMs = optionalValue<double>(*balancer, "latency_ewma_ms", 0);
        status.pending = balancer->value("pending", 0);
        status.ejections = balancer->value("ejections", 0);
    }
    return status;
}

} // namespace

nlohmann::json toJson(const WorkloadStatus &w)
{
    return {{"pod", w.pod},
            {"service", w.service},
            {"namespace", w.ns},
            {"version", w.version},
            {"identity", w.identity},
            {"port", w.port},
            {"inbound", w.inbound},
            {"outbound", w.outbound},
            {"upstreams", upstreamsJson(w.upstreams)},
            {"certificate_serial", w.certificateSerial},
            {"certificate_not_after_unix", w.certificateNotAfterUnix},
            {"ready", w.ready},
            {"process", processJson(w)},
            {"balancer", balancerJson(w)}};
}

nlohmann::json toJson(const WorkloadsReport &report)
{
    nlohmann::json workloads = nlohmann::json::array();
    for (const auto &w : report.workloads)
        workloads.push_back(toJson(w));
    return {{"local_outbound", report.localOutbound},
            {"local_identity", report.localIdentity},
            {"local_upstreams", upstreamsJson(report.localUpstreams)},
            {"workloads", std::move(workloads)}};
}

Result<WorkloadsReport> workloadsReportFromJson(const nlohmann::json &json)
{
    return parsed<WorkloadsReport>("workloads", [&] {
        WorkloadsReport report;
        report.localOutbound = json.value("local_outbound", "");
        report.localIdentity = json.value("local_identity", "");
        report.localUpstreams = upstreamsFrom(json, "local_upstreams");
        for (const auto &w : json.at("workloads"))
            report.workloads.push_back(workloadFrom(w));
        return report;
    });
}

Result<std::vector<WorkloadStatus>> workloadsFromJson(const nlohmann::json &json)
{
    return workloadsReportFromJson(json).map(
        [](WorkloadsReport report) { return std::move(report.workloads); });
}

nlohmann::json toJson(const EventInfo &e)
{
    return {{"seq", e.seq},
            {"time_unix_ms", e.timeUnixMs},
            {"kind", e.kind},
            {"subject", e.subject},
            {"message", e.message}};
}

nlohmann::json toJson(const std::vector<EventInfo> &events)
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto &e : events)
        list.push_back(toJson(e));
    return {{"events", std::move(list)}};
}

Result<std::vector<EventInfo>> eventsFromJson(const nlohmann::json &json)
{
    return parsed<std::vector<EventInfo>>("events", [&] {
        std::vector<EventInfo> events;
        for (const auto &e : json.at("events")) {
            EventInfo event;
            event.seq = e.at("seq").get<std::uint64_t>();
            event.timeUnixMs = e.at("time_unix_ms").get<std::int64_t>();
            event.kind = e.at("kind").get<std::string>();
            event.subject = e.value("subject", "");
            event.message = e.value("message", "");
            events.push_back(std::move(event));
        }
        return events;
    });
}

nlohmann::json toJson(const SplitInfo &split)
{
    nlohmann::json backends = nlohmann::json::array();
    for (const auto &backend : split.backends)
        backends.push_back({{"version", backend.version}, {"weight", backend.weight}});
    return {{"service", split.service},
            {"namespace", split.ns},
            {"backends", std::move(backends)},
            {"source", split.source},
            {"persisted", split.persisted}};
}

nlohmann::json toJson(const std::vector<SplitInfo> &splits)
{
    nlohmann::json services = nlohmann::json::array();
    for (const auto &split : splits)
        services.push_back(toJson(split));
    return {{"services", std::move(services)}};
}

namespace {

SplitInfo splitFrom(const nlohmann::json &json)
{
    SplitInfo split;
    split.service = json.at("service").get<std::string>();
    split.ns = json.at("namespace").get<std::string>();
    for (const auto &b : json.at("backends")) {
        BackendShare backend;
        backend.version = b.at("version").get<std::string>();
        backend.weight = b.at("weight").get<unsigned>();
        split.backends.push_back(std::move(backend));
    }
    split.source = json.value("source", std::string("config")); // older meshds do not say
    split.persisted = json.value("persisted", false);
    return split;
}

} // namespace

Result<SplitInfo> splitFromJson(const nlohmann::json &json)
{
    return parsed<SplitInfo>("split", [&] { return splitFrom(json); });
}

Result<std::vector<SplitInfo>> splitsFromJson(const nlohmann::json &json)
{
    return parsed<std::vector<SplitInfo>>("splits", [&] {
        std::vector<SplitInfo> splits;
        for (const auto &s : json.at("services"))
            splits.push_back(splitFrom(s));
        return splits;
    });
}

} // namespace meshcore::admin
