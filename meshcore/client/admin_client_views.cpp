// The typed views of the admin API that the desktop app polls, and the changes the app and the
// CLI make through it (splits, runtime faults).
#include "client/admin_client.h"

#include <nlohmann/json.hpp>

#include "admin/api_json.h"
#include "core/json_dump.h"

namespace meshcore::client {
namespace {

template <typename T, typename Parse>
Result<T> parsedBody(const Result<std::string> &body, const char *what, Parse parse)
{
    if (!body)
        return tl::unexpected(body.error());
    const auto json = nlohmann::json::parse(*body, nullptr, false);
    if (json.is_discarded())
        return makeError(ErrorCode::Protocol,
                         std::string("meshd's ") + what + " answer is not JSON");
    return parse(json);
}

} // namespace

Result<admin::ReloadResult> AdminClient::reload()
{
    return parsedBody<admin::ReloadResult>(post("/api/v1/reload"), "reload",
                                           admin::reloadResultFromJson);
}

Result<admin::Topology> AdminClient::topology(int windowSeconds)
{
    return parsedBody<admin::Topology>(
        get("/api/v1/topology?window=" + std::to_string(windowSeconds) + "s"), "topology",
        admin::topologyFromJson);
}

Result<admin::ServiceRoutes> AdminClient::routes(const std::string &service,
                                                 const std::string &from)
{
    const auto target
        = "/api/v1/routes?service=" + service + (from.empty() ? std::string() : "&from=" + from);
    return parsedBody<admin::ServiceRoutes>(get(target), "routes", admin::serviceRoutesFromJson);
}

Result<admin::ServiceHistory> AdminClient::history(const std::string &service,
                                                   const std::string &from, int rangeSeconds)
{
    auto target = "/api/v1/history?service=" + service;
    if (!from.empty())
        target += "&from=" + from;
    if (rangeSeconds != 900) // older meshds know only the 15 minutes
        target += rangeSeconds <= 300 ? "&range=5m"
            : rangeSeconds <= 900     ? "&range=15m"
                                      : "&range=1h";
    return parsedBody<admin::ServiceHistory>(get(target), "history", admin::serviceHistoryFromJson);
}

Result<admin::ChecksReport> AdminClient::checks()
{
    return parsedBody<admin::ChecksReport>(get("/api/v1/checks"), "checks",
                                           admin::checksReportFromJson);
}

Result<std::vector<admin::EventInfo>> AdminClient::events(std::uint64_t sinceSeq)
{
    return parsedBody<std::vector<admin::EventInfo>>(
        get("/api/v1/events?since=" + std::to_string(sinceSeq)), "events", admin::eventsFromJson);
}

Result<std::vector<admin::WorkloadStatus>> AdminClient::workloads()
{
    return parsedBody<std::vector<admin::WorkloadStatus>>(get("/api/v1/workloads"), "workloads",
                                                          admin::workloadsFromJson);
}

Result<admin::WorkloadsReport> AdminClient::workloadsReport()
{
    return parsedBody<admin::WorkloadsReport>(get("/api/v1/workloads"), "workloads",
                                              admin::workloadsReportFromJson);
}

Result<std::vector<admin::SplitInfo>> AdminClient::splits()
{
    return parsedBody<std::vector<admin::SplitInfo>>(get("/api/v1/splits"), "splits",
                                                     admin::splitsFromJson);
}

Result<admin::SplitInfo> AdminClient::split(const std::string &service)
{
    return parsedBody<admin::SplitInfo>(get("/api/v1/split?service=" + service), "split",
                                        admin::splitFromJson);
}

Result<admin::SplitInfo> AdminClient::setSplit(const std::string &service,
                                               const std::vector<admin::BackendShare> &backends)
{
    auto list = nlohmann::json::array();
    for (const auto &backend : backends)
        list.push_back({{"version", backend.version}, {"weight", backend.weight}});
    return parsedBody<admin::SplitInfo>(
        put("/api/v1/split?service=" + service, dumpJson(nlohmann::json {{"backends", list}})),
        "split", admin::splitFromJson);
}

Result<std::vector<admin::VersionFault>> AdminClient::faults()
{
    return parsedBody<std::vector<admin::VersionFault>>(get("/api/v1/faults"), "faults",
                                                        admin::faultsFromJson);
}

Result<admin::VersionFault> AdminClient::setFault(const std::string &service,
                                                  const std::string &version,
                                                  const admin::FaultSpec &fault)
{
    return parsedBody<admin::VersionFault>(
        put("/api/v1/faults?service=" + service + "&version=" + version,
            dumpJson(admin::toJson(fault))),
        "fault", admin::versionFaultFromJson);
}

Result<admin::FaultCleared> AdminClient::clearFault(const std::string &service,
                                                    const std::string &version)
{
    return parsedBody<admin::FaultCleared>(
        remove("/api/v1/faults?service=" + service + "&version=" + version), "fault",
        admin::faultClearedFromJson);
}

} // namespace meshcore::client
