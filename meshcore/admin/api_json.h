#pragma once

// JSON shapes of the admin API, shared by the server (admin/) and the client (client/).
// Internal to meshcore: nlohmann stays out of the headers models/ includes.

#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "admin/api_types.h"
#include "core/result.h"
#include "telemetry/tap.h"

namespace meshcore::admin {

nlohmann::json toJson(const VersionInfo &info);
Result<VersionInfo> versionInfoFromJson(const nlohmann::json &json);

nlohmann::json toJson(const CertificateReport &report);
Result<CertificateReport> certificateReportFromJson(const nlohmann::json &json);

nlohmann::json toJson(const ReloadResult &result);
Result<ReloadResult> reloadResultFromJson(const nlohmann::json &json);

// The traffic views (api_topology_json.cpp): GET /api/v1/topology, /routes, /history.
nlohmann::json toJson(const Topology &topology);
Result<Topology> topologyFromJson(const nlohmann::json &json);
nlohmann::json toJson(const ServiceRoutes &routes);
Result<ServiceRoutes> serviceRoutesFromJson(const nlohmann::json &json);
nlohmann::json toJson(const ServiceHistory &history);
Result<ServiceHistory> serviceHistoryFromJson(const nlohmann::json &json);

// Workloads, events and splits (api_workloads_json.cpp).
nlohmann::json toJson(const WorkloadStatus &workload);
nlohmann::json toJson(const WorkloadsReport &report); // GET /api/v1/workloads
Result<WorkloadsReport> workloadsReportFromJson(const nlohmann::json &json);
Result<std::vector<WorkloadStatus>> workloadsFromJson(const nlohmann::json &json); // its workloads
nlohmann::json toJson(const EventInfo &event);
nlohmann::json
toJson(const std::vector<EventInfo> &events); // GET /api/v1/events: {"events": [...]}
Result<std::vector<EventInfo>> eventsFromJson(const nlohmann::json &json);
nlohmann::json toJson(const SplitInfo &split); // GET and PUT /api/v1/split
Result<SplitInfo> splitFromJson(const nlohmann::json &json);
nlohmann::json
toJson(const std::vector<SplitInfo> &splits); // GET /api/v1/splits: {"services": [...]}
Result<std::vector<SplitInfo>> splitsFromJson(const nlohmann::json &json);

// The runtime faults per version (api_faults_json.cpp). faultSpecFromJson is strict, as a PUT
// body needs: an object with only the four fields, each a number (delay_ms and abort_status whole
// ones); an InvalidArgument error says in a sentence what is wrong. Ranges are the daemon's check.
nlohmann::json toJson(const FaultSpec &fault);
Result<FaultSpec> faultSpecFromJson(const nlohmann::json &json);
nlohmann::json toJson(const VersionFault &fault); // PUT /api/v1/faults's answer
Result<VersionFault> versionFaultFromJson(const nlohmann::json &json);
nlohmann::json
toJson(const std::vector<VersionFault> &faults); // GET /api/v1/faults: {"faults": [...]}
Result<std::vector<VersionFault>> faultsFromJson(const nlohmann::json &json);
nlohmann::json toJson(const FaultCleared &cleared); // DELETE /api/v1/faults
Result<FaultCleared> faultClearedFromJson(const nlohmann::json &json);

// GET /api/v1/checks (api_checks_json.cpp).
const char *checkStatusName(CheckInfo::Status status);
std::optional<CheckInfo::Status> checkStatusFromName(std::string_view name);
ChecksReport checksReport(std::vector<CheckInfo> checks); // the status is the worst of them
nlohmann::json toJson(const CheckInfo &check);
nlohmann::json toJson(const ChecksReport &report);
Result<CheckInfo> checkInfoFromJson(const nlohmann::json &json);
Result<ChecksReport> checksReportFromJson(const nlohmann::json &json);

// One line of the tap stream: {"kind":"request", ...}.
nlohmann::json toJson(const telemetry::TapEvent &event);
Result<telemetry::TapEvent> tapEventFromJson(const nlohmann::json &json);
// {"kind":"dropped","count":N}; an error for a line of another kind.
nlohmann::json toJson(const TapDropped &dropped);
Result<TapDropped> tapDroppedFromJson(const nlohmann::json &json);

} // namespace meshcore::admin
