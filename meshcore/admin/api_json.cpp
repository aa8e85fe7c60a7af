#include "admin/api_json.h"

namespace meshcore::admin {

nlohmann::json toJson(const VersionInfo &info)
{
    return {
        {"version", info.version},
        {"api_version", info.apiVersion},
        {"mesh", info.mesh},
        {"trust_domain", info.trustDomain},
        {"config_source", info.configSource},
        {"pid", info.pid},
        {"started_at_unix_ms", info.startedAtUnixMs},
        {"uptime_ms", info.uptimeMs},
        {"admin_address", info.adminAddress},
        {"state_dir", info.stateDir},
    };
}

Result<VersionInfo> versionInfoFromJson(const nlohmann::json &json)
{
    try {
        VersionInfo info;
        info.version = json.at("version").get<std::string>();
        info.apiVersion = json.at("api_version").get<int>();
        info.mesh = json.at("mesh").get<std::string>();
        info.trustDomain = json.value("trust_domain", "");
        info.configSource = json.value("config_source", "");
        info.pid = json.value<std::int64_t>("pid", 0);
        info.startedAtUnixMs = json.value<std::int64_t>("started_at_unix_ms", 0);
        info.uptimeMs = json.value<std::int64_t>("uptime_ms", 0);
        info.adminAddress = json.value("admin_address", "");
        info.stateDir = json.value("state_dir", "");
        return info;
    } catch (const nlohmann::json::exception &e) {
        return makeError(ErrorCode::Protocol,
                         std::string("unexpected answer from meshd's version endpoint: ")
                             + e.what());
    }
}

nlohmann::json toJson(const CertificateReport &report)
{
    nlohmann::json certificates = nlohmann::json::array();
    for (const auto &c : report.certificates)
        certificates.push_back({{"kind", c.kind},
                                {"role", c.role},
                                {"identity", c.identity},
                                {"serial", c.serial},
                                {"not_before_unix", c.notBeforeUnix},
                                {"not_after_unix", c.notAfterUnix},
                                {"seconds_left", c.secondsLeft},
                                {"state", c.state}});
    return {{"trust_domain", report.trustDomain}, {"anchor_stage", report.anchorStage},
            {"generation", report.generation},    {"can_issue", report.canIssue},
            {"problem", report.problem},          {"certificates", certificates}};
}

Result<CertificateReport> certificateReportFromJson(const nlohmann::json &json)
{
    try {
        CertificateReport report;
        report.trustDomain = json.at("trust_domain").get<std::string>();
        report.anchorStage = json.at("anchor_stage").get<std::string>();
        report.generation = json.at("generation").get<std::int64_t>();
        report.canIssue = json.at("can_issue").get<bool>();
        report.problem = json.value("problem", "");
        for (const auto &c : json.at("certificates")) {
            CertificateInfo info;
            info.kind = c.at("kind").get<std::string>();
            info.role = c.value("role", "");
            info.identity = c.at("identity").get<std::string>();
            info.serial = c.at("serial").get<std::string>();
            info.notBeforeUnix = c.at("not_before_unix").get<std::int64_t>();
            info.notAfterUnix = c.at("not_after_unix").get<std::int64_t>();
            info.secondsLeft = c.at("seconds_left").get<std::int64_t>();
            info.state = c.at("state").get<std::string>();
            report.certificates.push_back(std::move(info));
        }
        return report;
    } catch (const nlohmann::json::exception &e) {
        return makeError(ErrorCode::Protocol,
                         std::string("unexpected certificate report from meshd: ") + e.what());
    }
}

nlohmann::json toJson(const ReloadResult &result)
{
    return {{"changed", result.changed},
            {"summary", result.summary},
            {"config_file", result.configFile},
            {"services_added", result.servicesAdded},
            {"services_removed", result.servicesRemoved},
            {"services_changed", result.servicesChanged},
            {"workloads_started", result.workloadsStarted},
            {"workloads_stopping", result.workloadsStopping},
            {"load_changed", result.loadChanged}};
}

Result<ReloadResult> reloadResultFromJson(const nlohmann::json &json)
{
    try {
        using List = std::vector<std::string>;
        ReloadResult result;
        result.changed = json.at("changed").get<bool>();
        result.summary = json.at("summary").get<std::string>();
        result.configFile = json.value("config_file", "");
        result.servicesAdded = json.value("services_added", List());
        result.servicesRemoved = json.value("services_removed", List());
        result.servicesChanged = json.value("services_changed", List());
        result.workloadsStarted = json.value("workloads_started", List());
        result.workloadsStopping = json.value("workloads_stopping", List());
        result.loadChanged = json.value("load_changed", false);
        return result;
    } catch (const nlohmann::json::exception &e) {
        return makeError(ErrorCode::Protocol,
                         std::string("unexpected reload answer from meshd: ") + e.what());
    }
}

nlohmann::json toJson(const telemetry::TapEvent &event)
{
    return {{"kind", "request"},
            {"unix_ms", event.unixMs},
            {"source",
             {{"pod", event.sourcePod},
              {"service", event.sourceService},
              {"identity", event.sourceIdentity}}},
            {"destination",
             {{"service", event.destinationService},
              {"pod", event.destinationPod},
              {"identity", event.destinationIdentity}}},
            {"method", event.method},
            {"authority", event.authority},
            {"path", event.path},
            {"route", event.route},
            {"status", event.status},
            {"latency_ms", event.latencyMs},
            {"tls", event.mtls ? "mtls" : "none"},
            {"error", event.error},
            {"retries", event.retries}};
}

Result<telemetry::TapEvent> tapEventFromJson(const nlohmann::json &json)
{
    try {
        telemetry::TapEvent event;
        event.unixMs = json.at("unix_ms").get<std::int64_t>();
        const auto &source = json.at("source");
        event.sourcePod = source.at("pod").get<std::string>();
        event.sourceService = source.at("service").get<std::string>();
        event.sourceIdentity = source.at("identity").get<std::string>();
        const auto &destination = json.at("destination");
        event.destinationService = destination.at("service").get<std::string>();
        event.destinationPod = destination.at("pod").get<std::string>();
        event.destinationIdentity = destination.at("identity").get<std::string>();
        event.method = json.at("method").get<std::string>();
        event.authority = json.at("authority").get<std::string>();
        event.path = json.at("path").get<std::string>();
        event.route = json.at("route").get<std::string>();
        event.status = json.at("status").get<unsigned>();
        event.latencyMs = json.at("latency_ms").get<double>();
        event.mtls = json.at("tls").get<std::string>() == "mtls";
        event.error = json.at("error").get<std::string>();
        event.retries = json.at("retries").get<unsigned>();
        return event;
    } catch (const nlohmann::json::exception &e) {
        return makeError(ErrorCode::Protocol,
                         std::string("unexpected tap line from meshd: ") + e.what());
    }
}

nlohmann::json toJson(const TapDropped &dropped)
{
    return {{"kind", "dropped"}, {"count", dropped.count}};
}

Result<TapDropped> tapDroppedFromJson(const nlohmann::json &json)
{
    const auto kind = json.is_object() ? json.find("kind") : json.end();
    if (kind == json.end() || !kind->is_string() || *kind != "dropped")
        return makeError(ErrorCode::Protocol, "not a tap \"dropped\" line");
    try {
        TapDropped dropped;
        dropped.count = json.at("count").get<std::uint64_t>();
        return dropped;
    } catch (const nlohmann::json::exception &e) {
        return makeError(ErrorCode::Protocol,
                         std::string("unexpected tap line from meshd: ") + e.what());
    }
}

} // namespace meshcore::admin
