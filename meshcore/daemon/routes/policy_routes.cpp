#include "daemon/routes/policy_routes.h"
#include "core/service_key.h"

#include <nlohmann/json.hpp>

#include "admin/api_json.h"
#include "core/json_dump.h"

namespace meshcore::daemon {
namespace {

using admin::ApiRequest;
using admin::ApiResponse;

admin::SplitInfo splitOf(const proxy::Destination &destination, const SplitMemory &memory)
{
    admin::SplitInfo split;
    split.source = memory.setAtRunTime(destination) ? "runtime" : "config";
    split.persisted = memory.persisted(destination);
    split.service = destination.service;
    split.ns = destination.ns;
    for (const auto &backend : destination.balancer->split()) {
        admin::BackendShare share;
        share.version = backend.version;
        share.weight = backend.weight;
        split.backends.push_back(std::move(share));
    }
    return split;
}

// {"backends": [{"version": "v1", "weight": 90}, ...]}, or why not.
Result<std::vector<control::BackendWeight>> parseSplit(const std::string &body)
{
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains("backends")
        || !json["backends"].is_array())
        return makeError(
            ErrorCode::InvalidArgument,
            R"(the body must be JSON like {"backends": [{"version": "v1", "weight": 90}]})");
    std::vector<control::BackendWeight> split;
    for (const auto &entry : json["backends"]) {
        if (!entry.is_object() || !entry.contains("version") || !entry["version"].is_string()
            || !entry.contains("weight") || !entry["weight"].is_number_integer())
            return makeError(
                ErrorCode::InvalidArgument,
                "each backend needs a \"version\" (text) and a \"weight\" (a whole number)");
        const auto weight = entry["weight"].get<long long>();
        if (weight < 0 || weight > 1000000)
            return makeError(ErrorCode::InvalidArgument,
                             "weights are whole numbers from 0 to 1000000, not "
                                 + std::to_string(weight));
        split.push_back({entry["version"].get<std::string>(), static_cast<unsigned>(weight)});
    }
    return split;
}

} // namespace

void addPolicyRoutes(admin::AdminApi &api, const AdminContext &context)
{
    api.route("GET", "/api/v1/splits", [context](const ApiRequest &) {
        std::vector<admin::SplitInfo> splits;
        for (const auto &destination : *context.dataPlane.destinations())
            splits.push_back(splitOf(*destination, context.splits));
        return admin::jsonResponse(200, dumpJson(admin::toJson(splits)));
    });

    api.route("GET", "/api/v1/split", [context](const ApiRequest &request) {
        auto found = destinationNamedIn(context, request);
        if (auto *error = std::get_if<ApiResponse>(&found))
            return *error;
        return admin::jsonResponse(
            200, dumpJson(admin::toJson(splitOf(*std::get<0>(found), context.splits))));
    });

    api.route("PUT", "/api/v1/split", [context](const ApiRequest &request) {
        auto found = destinationNamedIn(context, request);
        if (auto *error = std::get_if<ApiResponse>(&found))
            return *error;
        const auto &destination = *std::get<0>(found);
        auto split = parseSplit(request.body);
        if (!split)
            return admin::errorResponse(400, admin::ApiErrorCode::InvalidArgument,
                                        split.error().message);
        // Refused as a whole or applied as a whole: the split in force stays on any error.
        const auto before = destination.balancer->split();
        if (auto applied = destination.balancer->setSplit(*split); !applied)
            return admin::errorResponse(400, admin::ApiErrorCode::InvalidArgument,
                                        applied.error().message);
        const auto line = "split of " + qualifiedName(destination.service, destination.ns)
            + " set to " + control::splitText(destination.balancer->split())
            + " through the admin API";
        context.log(line);
        context.events.add("split", qualifiedName(destination.service, destination.ns), line);
        context.splits.remember(destination, "the admin API");
        if (destination.balancer->split() != before) // the same split again changes nothing
            context.rollouts.splitChangedByHand(
                destination.service, destination.ns,
                "to " + control::splitText(destination.balancer->split())
                    + " through the admin API");
        return admin::jsonResponse(200,
                                   dumpJson(admin::toJson(splitOf(destination, context.splits))));
    });
}

void writePolicyMetrics(const DataPlane &dataPlane, telemetry::PrometheusText &text)
{
    const auto snapshot = dataPlane.destinations();
    const auto &destinations = *snapshot;
    text.family("outbound_http_balancer_endpoints", "gauge",
                "Replicas of each backend (service version) by balancer state.");
    for (const auto &d : destinations)
        for (const auto &version : d->balancer->split()) {
            double ready = 0;
            double pending = 0;
            for (const auto &r : d->balancer->replicas())
                if (r.version == version.version)
                    (r.state == policy::FailureAccrual::State::Ready ? ready : pending) += 1;
            const telemetry::Labels labels = {{"parent_namespace", d->ns},
                                              {"parent_name", d->service},
                                              {"backend_name", d->service + "-" + version.version}};
            auto readyLabels = labels;
            readyLabels.emplace_back("endpoint_state", "ready");
            auto pendingLabels = labels;
            pendingLabels.emplace_back("endpoint_state", "pending");
            text.sample("outbound_http_balancer_endpoints", readyLabels, ready);
            text.sample("outbound_http_balancer_endpoints", pendingLabels, pending);
        }

    const auto perReplica = [&](const char *name, const char *type, const char *help, auto value) {
        text.family(name, type, help);
        for (const auto &d : destinations)
            for (const auto &r : d->balancer->replicas())
                text.sample(name,
                            {{"dst_namespace", d->ns},
                             {"dst_service", d->service},
                             {"dst_deployment", d->service + "-" + r.version},
                             {"dst_pod", r.pod}},
                            value(r));
    };
    perReplica("meshscope_balancer_endpoint_ready", "gauge",
               "1 while the replica's circuit breaker admits requests, 0 while it is ejected.",
               [](const policy::ReplicaStatus &r) {
                   return r.state == policy::FailureAccrual::State::Ready ? 1.0 : 0.0;
               });
    perReplica("meshscope_balancer_endpoint_latency_ewma_seconds", "gauge",
               "The balancer's peak-EWMA latency estimate for the replica.",
               [](const policy::ReplicaStatus &r) { return r.latencyEwmaMs / 1000.0; });
    perReplica("meshscope_balancer_endpoint_pending", "gauge", "Requests in flight to the replica.",
               [](const policy::ReplicaStatus &r) { return static_cast<double>(r.pending); });
    perReplica("meshscope_balancer_endpoint_ejections_total", "counter",
               "Times the replica's circuit breaker ejected it.",
               [](const policy::ReplicaStatus &r) { return static_cast<double>(r.ejections); });

    text.family("meshscope_split_weight", "gauge",
                "The traffic split's weight of each service version.");
    for (const auto &d : destinations)
        for (const auto &backend : d->balancer->split())
            text.sample("meshscope_split_weight",
                        {{"dst_namespace", d->ns},
                         {"dst_service", d->service},
                         {"dst_deployment", d->service + "-" + backend.version}},
                        backend.weight);
}

} // namespace meshcore::daemon
