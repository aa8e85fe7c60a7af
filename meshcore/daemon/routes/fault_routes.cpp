#include "daemon/routes/fault_routes.h"
#include "core/service_key.h"

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "admin/api_json.h"
#include "core/json_dump.h"
#include "proxy/version_faults.h"

namespace meshcore::daemon {
namespace {

using admin::ApiRequest;
using admin::ApiResponse;
using proxy::VersionKey;

// "v2 of api.shop"
std::string versionName(const VersionKey &key)
{
    return key.version + " of " + qualifiedName(key.service, key.ns);
}

// The version a request names with ?service=NAME&version=V, or the error response to send: 404
// (naming the services, or the service's versions) for a name that is not there.
std::variant<VersionKey, ApiResponse> versionNamedIn(const AdminContext &context,
                                                     const ApiRequest &request)
{
    auto found = destinationNamedIn(context, request);
    if (auto *error = std::get_if<ApiResponse>(&found))
        return *error;
    const auto &destination = *std::get<0>(found);
    const auto service = qualifiedName(destination.service, destination.ns);
    const auto version = admin::queryParameter(request.target, "version");
    if (!version || version->empty())
        return admin::errorResponse(400, admin::ApiErrorCode::InvalidArgument,
                                    "name the version: ?service=" + service + "&version=V");
    std::string known;
    bool exists = false;
    for (const auto &backend : destination.balancer->split()) {
        known += (known.empty() ? "" : ", ") + backend.version;
        exists = exists || backend.version == *version;
    }
    if (!exists)
        return admin::errorResponse(404, admin::ApiErrorCode::NotFound,
                                    "service '" + service + "' has no version '" + *version
                                        + "' (it has: " + known + ")");
    return VersionKey {destination.service, destination.ns, *version};
}

control::FaultConfig faultConfigOf(const admin::FaultSpec &spec)
{
    // Clamped only so far that a value out of range stays out of range for faultProblem.
    control::FaultConfig fault;
    fault.delayPercent = spec.delayPercent;
    fault.delay = control::Millis(
        std::clamp<std::int64_t>(spec.delayMs, -1, proxy::MaxFaultDelay.count() + 1));
    fault.abortPercent = spec.abortPercent;
    fault.abortStatus = static_cast<unsigned>(std::clamp<std::int64_t>(spec.abortStatus, 0, 1000));
    return fault;
}

admin::VersionFault versionFaultOf(const VersionKey &key, const control::FaultConfig &fault)
{
    admin::VersionFault out;
    out.service = key.service;
    out.ns = key.ns;
    out.version = key.version;
    out.fault.delayPercent = fault.delayPercent;
    out.fault.delayMs = fault.delay.count();
    out.fault.abortPercent = fault.abortPercent;
    out.fault.abortStatus = fault.abortStatus;
    return out;
}

// "abort 100% with 503, delay 50% by 200ms", for the log and the events.
std::string faultText(const control::FaultConfig &fault)
{
    std::ostringstream text;
    if (fault.abortPercent > 0)
        text << "abort " << fault.abortPercent << "% with " << fault.abortStatus;
    if (fault.abortPercent > 0 && fault.delayPercent > 0)
        text << ", ";
    if (fault.delayPercent > 0)
        text << "delay " << fault.delayPercent << "% by " << fault.delay.count() << "ms";
    return text.str();
}

// PUT's body as a fault that can be injected, or the 400 that says why not.
std::variant<control::FaultConfig, ApiResponse> faultInBody(const std::string &body)
{
    const auto refuse = [](const std::string &why) {
        return admin::errorResponse(400, admin::ApiErrorCode::InvalidArgument, why);
    };
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded())
        return refuse(R"(the body must be JSON like {"abort_percent": 100, "abort_status": 503})");
    const auto spec = admin::faultSpecFromJson(json);
    if (!spec)
        return refuse(spec.error().message);
    const auto fault = faultConfigOf(*spec);
    if (const auto problem = proxy::faultProblem(fault))
        return refuse(*problem);
    return fault;
}

void recordChange(const AdminContext &context, const VersionKey &key, const std::string &line)
{
    context.log(line);
    context.events.add("fault", qualifiedName(key.service, key.ns), line);
}

} // namespace

void addFaultRoutes(admin::AdminApi &api, const AdminContext &context)
{
    api.route("GET", "/api/v1/faults", [context](const ApiRequest &) {
        std::vector<admin::VersionFault> faults;
        for (const auto &[key, fault] : context.dataPlane.faults().list())
            faults.push_back(versionFaultOf(key, fault));
        return admin::jsonResponse(200, dumpJson(admin::toJson(faults)));
    });

    api.route("PUT", "/api/v1/faults", [context](const ApiRequest &request) {
        auto named = versionNamedIn(context, request);
        if (auto *error = std::get_if<ApiResponse>(&named))
            return *error;
        const auto &key = std::get<VersionKey>(named);
        auto parsed = faultInBody(request.body);
        if (auto *error = std::get_if<ApiResponse>(&parsed))
            return *error;
        const auto &fault = std::get<control::FaultConfig>(parsed);
        context.dataPlane.faults().set(key, fault);
        recordChange(context, key,
                     "fault on " + versionName(key) + " set to " + faultText(fault)
                         + " through the admin API");
        return admin::jsonResponse(200, dumpJson(admin::toJson(versionFaultOf(key, fault))));
    });

    api.route("DELETE", "/api/v1/faults", [context](const ApiRequest &request) {
        auto named = versionNamedIn(context, request);
        if (auto *error = std::get_if<ApiResponse>(&named))
            return *error;
        const auto &key = std::get<VersionKey>(named);
        admin::FaultCleared cleared;
        cleared.service = key.service;
        cleared.ns = key.ns;
        cleared.version = key.version;
        cleared.cleared = context.dataPlane.faults().clear(key);
        if (cleared.cleared)
            recordChange(context, key,
                         "fault on " + versionName(key) + " cleared through the admin API");
        return admin::jsonResponse(200, dumpJson(admin::toJson(cleared)));
    });
}

} // namespace meshcore::daemon
