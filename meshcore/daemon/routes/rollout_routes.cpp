#include "daemon/routes/rollout_routes.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "admin/api_json.h"
#include "core/json_dump.h"
#include "core/service_key.h"
#include "rollout/rollout_json.h"

namespace meshcore::daemon {
namespace {

using admin::ApiRequest;
using admin::ApiResponse;

int httpStatusOf(ErrorCode code)
{
    switch (code) {
    case ErrorCode::InvalidArgument:
        return 400;
    case ErrorCode::NotFound:
        return 404;
    case ErrorCode::Busy:
        return 409; // the action does not apply to the rollout as it is
    default:
        return 500;
    }
}

ApiResponse fromError(const Error &error)
{
    return admin::errorResponse(httpStatusOf(error.code), admin::apiErrorCodeOf(error.code),
                                error.message);
}

ApiResponse statusResponse(int code, const rollout::RolloutStatus &status)
{
    return admin::jsonResponse(code, dumpJson(rollout::toJson(status)));
}

ApiResponse start(const AdminContext &context, const ApiRequest &request)
{
    const auto json = nlohmann::json::parse(request.body, nullptr, false);
    if (json.is_discarded())
        return admin::errorResponse(400, admin::ApiErrorCode::InvalidArgument,
                                    R"(the body must be JSON like {"service": "web", )"
                                    R"("candidate": "v2", "strategy": "canary"})");
    auto spec = rollout::specFromJson(json);
    if (!spec)
        return fromError(spec.error());
    const auto name = spec->ns.empty() ? spec->service : spec->service + "." + spec->ns;
    const auto destination = context.dataPlane.findDestination(name);
    if (!destination)
        return admin::errorResponse(404, admin::ApiErrorCode::NotFound,
                                    "the mesh has no service \"" + name + "\"");
    spec->service = destination->service;
    spec->ns = destination->ns;
    auto started = context.rollouts.start(*spec, "api");
    if (!started)
        return fromError(started.error());
    context.log("rollout of " + started->name() + " started through the admin API: "
                + started->spec.candidate + " at " + std::to_string(started->weight) + " %");
    return statusResponse(201, *started);
}

ApiResponse act(const AdminContext &context, const ApiRequest &request, rollout::Action action)
{
    auto found = destinationNamedIn(context, request);
    if (auto *error = std::get_if<ApiResponse>(&found))
        return *error;
    const auto &destination = *std::get<0>(found);
    std::optional<unsigned> weight;
    if (action == rollout::Action::SetWeight) {
        const auto json = nlohmann::json::parse(request.body, nullptr, false);
        if (json.is_discarded() || !json.is_object() || !json.contains("weight")
            || !json["weight"].is_number_unsigned())
            return admin::errorResponse(400, admin::ApiErrorCode::InvalidArgument,
                                        R"(the body must be JSON like {"weight": 20})");
        weight = static_cast<unsigned>(
            std::min<std::uint64_t>(json["weight"].get<std::uint64_t>(), 1000));
    }
    auto done = context.rollouts.act(destination.service, destination.ns, action, weight);
    if (!done)
        return fromError(done.error());
    context.log(std::string("rollout of ") + done->name() + ": " + rollout::actionName(action)
                + " through the admin API");
    return statusResponse(200, *done);
}

} // namespace

void addRolloutRoutes(admin::AdminApi &api, const AdminContext &context)
{
    api.route("GET", "/api/v1/rollouts", [context](const ApiRequest &request) {
        auto all = context.rollouts.list();
        if (const auto service = admin::queryParameter(request.target, "service")) {
            const auto destination = context.dataPlane.findDestination(*service);
            std::erase_if(all, [&](const rollout::RolloutStatus &s) {
                return !destination || s.spec.service != destination->service
                    || s.spec.ns != destination->ns;
            });
        }
        return admin::jsonResponse(200, dumpJson(rollout::toJson(all)));
    });
    api.route("POST", "/api/v1/rollouts",
              [context](const ApiRequest &request) { return start(context, request); });
    api.route("GET", "/api/v1/rollout", [context](const ApiRequest &request) {
        auto found = destinationNamedIn(context, request);
        if (auto *error = std::get_if<ApiResponse>(&found))
            return *error;
        const auto &destination = *std::get<0>(found);
        const auto status = context.rollouts.find(destination.service, destination.ns);
        if (!status)
            return admin::errorResponse(404, admin::ApiErrorCode::NotFound,
                                        qualifiedName(destination.service, destination.ns)
                                            + " has had no rollout");
        return statusResponse(200, *status);
    });
    for (const auto action :
         {rollout::Action::Pause, rollout::Action::Resume, rollout::Action::Promote,
          rollout::Action::Skip, rollout::Action::SetWeight, rollout::Action::Abort,
          rollout::Action::Retry})
        api.route(
            "POST", std::string("/api/v1/rollout/") + rollout::actionName(action),
            [context, action](const ApiRequest &request) { return act(context, request, action); });
}

void writeRolloutMetrics(const rollout::RolloutController &rollouts,
                         telemetry::PrometheusText &text)
{
    // The latest rollout of each service (list() has active ones first, then newest first).
    std::vector<rollout::RolloutStatus> latest;
    for (auto &status : rollouts.list())
        if (std::none_of(latest.begin(), latest.end(), [&](const auto &s) {
                return s.spec.service == status.spec.service && s.spec.ns == status.spec.ns;
            }))
            latest.push_back(std::move(status));

    text.family("flagger_canary_status", "gauge",
                "The rollout's last known status (Flagger's): 0 running, 1 successful, 2 failed.");
    for (const auto &s : latest) {
        const double code = rollout::isActive(s.phase) ? 0
            : s.phase == rollout::Phase::Succeeded     ? 1
                                                       : 2;
        text.sample("flagger_canary_status", {{"name", s.spec.service}, {"namespace", s.spec.ns}},
                    code);
    }
    text.family("flagger_canary_weight", "gauge",
                "The traffic weight of the rollout's stable and candidate workloads (Flagger's).");
    for (const auto &s : latest) {
        const auto workload = [&](const std::string &version) {
            return telemetry::Labels {{"workload", s.spec.service + "-" + version},
                                      {"namespace", s.spec.ns}};
        };
        text.sample("flagger_canary_weight", workload(s.spec.stable), 100.0 - s.weight);
        text.sample("flagger_canary_weight", workload(s.spec.candidate), s.weight);
    }
    // Per check of the last interval: what it measured, and whether it passed.
    const auto perCheck = [&](const char *name, const char *help, auto value) {
        text.family(name, "gauge", help);
        for (const auto &s : latest)
            if (!s.intervals.empty())
                for (const auto &check : s.intervals.back().checks)
                    text.sample(name,
                                {{"name", s.spec.service},
                                 {"namespace", s.spec.ns},
                                 {"metric", check.name}},
                                value(check));
    };
    perCheck("flagger_canary_metric_analysis",
             "The value each check of the rollout's last interval measured (Flagger's).",
             [](const rollout::CheckResult &c) { return c.value; });
    perCheck("meshscope_rollout_check_passed",
             "1 when the check passed in the rollout's last interval, 0 when it failed.",
             [](const rollout::CheckResult &c) { return c.passed ? 1.0 : 0.0; });
}

} // namespace meshcore::daemon
