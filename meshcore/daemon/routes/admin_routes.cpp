#include "daemon/routes/admin_routes.h"
#include "core/service_key.h"

#include <cstdlib>
#include <map>

#include "admin/api_json.h"
#include "admin/certificate_report.h"
#include "core/json_dump.h"
#include "daemon/health_checks.h"
#include "daemon/routes/fault_routes.h"
#include "daemon/routes/policy_routes.h"
#include "daemon/routes/rollout_routes.h"
#include "daemon/routes/tap_routes.h"
#include "daemon/routes/topology_routes.h"
#include "daemon/routes/workloads_view.h"
#include "telemetry/prometheus_text.h"

namespace meshcore::daemon {
namespace {

using admin::ApiRequest;
using admin::ApiResponse;

ApiResponse fromError(const Error &error)
{
    const int status = error.code == ErrorCode::InvalidArgument ? 409 : 500;
    return admin::errorResponse(status, admin::apiErrorCodeOf(error.code), error.message);
}

// The certificate report as meshd shows it: the workload certificates its sidecars hold now.
admin::CertificateReport certificatesInUse(const AdminContext &context)
{
    const auto held = context.dataPlane.certificateSerials();
    return admin::makeCertificateReport(context.authority, context.clock.now(), &held);
}

ApiResponse metrics(const AdminContext &context)
{
    telemetry::PrometheusText text;
    const auto report = certificatesInUse(context);
    text.family("identity_cert_expiration_timestamp_seconds", "gauge",
                "Time when a certificate of the mesh CA expires, in seconds since the Unix epoch.");
    for (const auto &c : report.certificates)
        text.sample("identity_cert_expiration_timestamp_seconds",
                    {{"identity", c.identity}, {"kind", c.kind}, {"serial", c.serial}},
                    static_cast<double>(c.notAfterUnix));
    text.family("meshscope_ca_can_issue", "gauge",
                "1 while the mesh CA can issue workload certificates, 0 when it cannot.");
    text.sample("meshscope_ca_can_issue", {{"trust_domain", report.trustDomain}},
                report.canIssue ? 1 : 0);
    context.dataPlane.metrics().write(text);
    writePolicyMetrics(context.dataPlane, text);
    writeRolloutMetrics(context.rollouts, text);
    text.family("meshscope_tap_streams", "gauge",
                "Live tap streams open (meshd tap, GET /api/v1/tap).");
    text.sample("meshscope_tap_streams", {}, context.dataPlane.tap().subscribers());
    text.family("meshscope_ca_certificates", "gauge",
                "Certificates the mesh CA knows, by kind and state.");
    for (const char *kind : {"trust-anchor", "issuer", "workload"})
        for (const char *state : {"ok", "warning", "expired"}) {
            double count = 0;
            for (const auto &c : report.certificates)
                count += (c.kind == kind && c.state == state) ? 1 : 0;
            text.sample("meshscope_ca_certificates", {{"kind", kind}, {"state", state}}, count);
        }
    return ApiResponse {200, telemetry::PrometheusText::ContentType, text.text()};
}

} // namespace

std::variant<std::shared_ptr<const proxy::Destination>, ApiResponse>
destinationNamedIn(const AdminContext &context, const ApiRequest &request)
{
    const auto name = admin::queryParameter(request.target, "service");
    if (!name || name->empty())
        return admin::errorResponse(400, admin::ApiErrorCode::InvalidArgument,
                                    "name the service: ?service=NAME or NAME.NAMESPACE");
    auto destination = context.dataPlane.findDestination(*name);
    if (!destination) {
        std::string known;
        for (const auto &d : *context.dataPlane.destinations())
            known += (known.empty() ? "" : ", ") + qualifiedName(d->service, d->ns);
        return admin::errorResponse(404, admin::ApiErrorCode::NotFound,
                                    "no service '" + *name + "' in this mesh (services: " + known
                                        + ")");
    }
    return destination;
}

namespace {

// GET /api/v1/certificates and the CA rotations, which answer the certificate report too.
void addCertificateRoutes(admin::AdminApi &api, const AdminContext &context)
{
    api.route("GET", "/api/v1/certificates", [context](const ApiRequest &) {
        return admin::jsonResponse(200, dumpJson(admin::toJson(certificatesInUse(context))));
    });

    api.route("POST", "/api/v1/ca/rotate-issuer", [context](const ApiRequest &) {
        if (auto rotated = context.authority.rotateIssuer(); !rotated)
            return fromError(rotated.error());
        const auto line = "issuer rotated through the admin API (generation "
            + std::to_string(context.authority.generation()) + ")";
        context.log(line);
        context.events.add("rotation", "issuer", line);
        return admin::jsonResponse(200, dumpJson(admin::toJson(certificatesInUse(context))));
    });

    api.route("POST", "/api/v1/ca/rotate-anchor", [context](const ApiRequest &request) {
        const auto stage = admin::queryParameter(request.target, "stage").value_or("");
        const auto step = ca::parseAnchorStep(stage);
        if (!step)
            return admin::errorResponse(400, admin::ApiErrorCode::InvalidArgument,
                                        "stage must be add, reissue or remove");
        if (auto rotated = context.authority.rotateAnchor(*step); !rotated)
            return fromError(rotated.error());
        context.log("trust-anchor rotation: stage '" + stage + "' done through the admin API");
        context.events.add("rotation", "trust-anchor",
                           "trust-anchor rotation: stage '" + stage
                               + "' done through the admin API");
        return admin::jsonResponse(200, dumpJson(admin::toJson(certificatesInUse(context))));
    });
}

void addReloadRoute(admin::AdminApi &api, const AdminContext &context)
{
    api.route("POST", "/api/v1/reload", [context](const ApiRequest &) {
        if (!context.reloader.file())
            return admin::errorResponse(409, admin::ApiErrorCode::NoConfigFile,
                                        "meshd runs the embedded demo mesh: there is no file to "
                                        "reload (start it with --config FILE)");
        const auto report = context.reloader.reload("meshd reload");
        if (!report)
            return admin::errorResponse(400, admin::ApiErrorCode::InvalidConfig,
                                        report.error().message
                                            + " (the configuration in force stays)");
        admin::ReloadResult result;
        result.changed = report->changed;
        result.summary = report->summary;
        result.configFile = context.reloader.file()->string();
        result.servicesAdded = report->servicesAdded;
        result.servicesRemoved = report->servicesRemoved;
        result.servicesChanged = report->servicesChanged;
        result.workloadsStarted = report->workloadsStarted;
        result.workloadsStopping = report->workloadsStopped;
        result.loadChanged = report->loadChanged;
        return admin::jsonResponse(200, dumpJson(admin::toJson(result)));
    });
}

} // namespace

void addAdminRoutes(admin::AdminApi &api, const AdminContext &context)
{
    api.route("GET", "/api/v1/version", [context](const ApiRequest &) {
        return admin::jsonResponse(200, dumpJson(admin::toJson(context.version())));
    });

    addCertificateRoutes(api, context);

    api.route("GET", "/api/v1/workloads", [context](const ApiRequest &) {
        return admin::jsonResponse(200, dumpJson(admin::toJson(workloadsOf(context))));
    });

    api.route("GET", "/api/v1/checks", [context](const ApiRequest &) {
        CheckInputs inputs {&context.authority,         &context.dataPlane,
                            &context.supervisor,        &context.clock,
                            context.reloader.file(),    context.reloader.textInForce(),
                            context.reloader.refusal(), &context.resources};
        return admin::jsonResponse(200,
                                   dumpJson(admin::toJson(admin::checksReport(runChecks(inputs)))));
    });

    addReloadRoute(api, context);

    api.route("GET", "/api/v1/events", [context](const ApiRequest &request) {
        std::uint64_t after = 0;
        if (const auto since = admin::queryParameter(request.target, "since")) {
            char *end = nullptr;
            after = std::strtoull(since->c_str(), &end, 10);
            if (since->empty() || *end != '\0')
                return admin::errorResponse(400, admin::ApiErrorCode::InvalidArgument,
                                            "since is an event sequence number");
        }
        std::vector<admin::EventInfo> events;
        for (const auto &e : context.events.since(after)) {
            admin::EventInfo event;
            event.seq = e.seq;
            event.timeUnixMs = e.unixMs;
            event.kind = e.kind;
            event.subject = e.subject;
            event.message = e.message;
            events.push_back(std::move(event));
        }
        return admin::jsonResponse(200, dumpJson(admin::toJson(events)));
    });

    api.route(
        "GET", "/metrics", [context](const ApiRequest &) { return metrics(context); },
        admin::AdminApi::Access::Open);
    addPolicyRoutes(api, context);
    addRolloutRoutes(api, context);
    addFaultRoutes(api, context);
    addTopologyRoutes(api, context);
    addTapRoutes(api, context);
}

} // namespace meshcore::daemon
