#include "cli/export_command.h"

#include <ostream>

#include "cli/cli_common.h"
#include "control/mesh_config.h"
#include "core/address.h"
#include "core/service_key.h"
#include "demo/demo_mesh.h"
#include "export/k8s_export.h"
#include "export/live_state.h"

namespace meshcore::cli {
namespace {

constexpr const char *ExportHelp
    = R"(Usage: meshd export [--config FILE | --demo] [--service NAME] [--format F] [--port N]

Writes a service's configuration as YAML for a Kubernetes cluster running Linkerd (kubectl apply
-f -): a Gateway API HTTPRoute (split, routes, timeouts, Linkerd's retry annotations) and, for a
service with a rollout in the file, a Flagger Canary and an Argo Rollouts Rollout with its
AnalysisTemplate. What a document cannot express is listed in comments at its top. With
--config or --demo it reads that file only; with neither, it exports the running meshd as it
runs now: its file, with the splits set at run time and each service's latest rollout (from the
file or the API).

  --config FILE     the mesh configuration (default: the running meshd's, live)
  --demo            the embedded demo mesh
  --service NAME    one service (web or web.shop; default: every service)
  --format F        httproute, flagger, argo or all (default all; flagger and argo need a rollout)
  --port N          the Kubernetes Services' port (default 80)
  --admin ADDR, --state-dir DIR   the running meshd to export

Exit status: 0 written, 1 meshd cannot be asked or the service is unknown, 2 bad usage or
an invalid configuration.
)";

enum class Format { HttpRoute, Flagger, Argo, All };

std::optional<Format> formatFrom(const std::string &text)
{
    if (text == "httproute")
        return Format::HttpRoute;
    if (text == "flagger")
        return Format::Flagger;
    if (text == "argo")
        return Format::Argo;
    if (text == "all")
        return Format::All;
    return std::nullopt;
}

// The file the running meshd was started with, as it runs now: its splits and rollouts.
Result<control::MeshConfig> runningConfig(const CommonFlags &common)
{
    auto client = adminClient(common);
    if (!client)
        return tl::unexpected(client.error());
    return kube::runningMeshConfig(**client);
}

// The configuration the flags name, or the one the running meshd has.
Result<control::MeshConfig> loadConfig(const ParsedArgs &args, const CommonFlags &common)
{
    if (const auto file = args.value("config"))
        return control::loadMeshConfigFile(*file);
    if (args.has("demo"))
        return control::parseMeshConfig(demo::demoMeshYaml(), demo::DemoMeshSource);
    return runningConfig(common);
}

const control::RolloutSpec *rolloutOf(const control::MeshConfig &config,
                                      const control::ServiceConfig &service)
{
    for (const auto &rollout : config.rollouts)
        if (rollout.service == service.name && rollout.ns == service.ns)
            return &rollout;
    return nullptr;
}

std::string documentsOf(const control::MeshConfig &config, const control::ServiceConfig &service,
                        Format format, const kube::ExportOptions &options)
{
    std::string text;
    if (format == Format::HttpRoute || format == Format::All)
        text += kube::httpRouteDocuments(service, options);
    const auto *rollout = rolloutOf(config, service);
    if (rollout && (format == Format::Flagger || format == Format::All))
        text += kube::flaggerDocuments(service, *rollout, options);
    if (rollout && (format == Format::Argo || format == Format::All))
        text += kube::argoDocuments(service, *rollout, options);
    return text;
}

std::string serviceList(const control::MeshConfig &config)
{
    std::string names;
    for (const auto &service : config.services)
        names += (names.empty() ? "" : ", ") + qualifiedName(service.name, service.ns);
    return names.empty() ? "none" : names;
}

// The documents of the service --service names, or of every service (with a rollout, for flagger
// and argo).
int writeExport(const control::MeshConfig &config, const ParsedArgs &args, Format format,
                const kube::ExportOptions &options, std::ostream &out, std::ostream &err)
{
    const bool rolloutsOnly = format == Format::Flagger || format == Format::Argo;
    std::vector<const control::ServiceConfig *> services;
    if (const auto name = args.value("service")) {
        const auto *service = config.findService(*name);
        if (!service) {
            err << "meshd export: no service '" << *name << "' in " << config.source
                << " (services: " << serviceList(config) << ")\n";
            return ExitFailed;
        }
        if (rolloutsOnly && !rolloutOf(config, *service)) {
            err << "meshd export: service '" << *name << "' has no rollout in " << config.source
                << " (a Flagger Canary or Argo Rollout is made from its 'rollouts' entry)\n";
            return ExitFailed;
        }
        services.push_back(service);
    } else {
        for (const auto &service : config.services)
            if (!rolloutsOnly || rolloutOf(config, service))
                services.push_back(&service);
    }
    if (services.empty()) {
        err << "meshd export: " << config.source << " has no "
            << (rolloutsOnly ? "rollouts" : "services") << " to export\n";
        return ExitFailed;
    }
    for (const auto *service : services)
        out << documentsOf(config, *service, format, options);
    return ExitOk;
}

} // namespace

int runExportVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err)
{
    auto args = parseArgs(rest,
                          {{"config"},
                           {"demo", false},
                           {"service"},
                           {"format"},
                           {"port"},
                           {"admin"},
                           {"state-dir"},
                           {"help", false}});
    if (!args)
        return usageError(err, "export", args.error().message);
    if (args->has("help")) {
        out << ExportHelp;
        return ExitOk;
    }
    if (!args->positional().empty())
        return usageError(err, "export",
                          "unexpected argument '" + args->positional().front() + "'");
    if (args->has("config") && args->has("demo"))
        return usageError(err, "export", "give at most one of --config FILE and --demo");
    const auto format = formatFrom(args->value("format").value_or("all"));
    if (!format)
        return usageError(err, "export",
                          "invalid value for --format: '" + *args->value("format")
                              + "' (httproute, flagger, argo or all)");
    kube::ExportOptions options;
    if (const auto port = args->value("port")) {
        const auto parsed = parseAddress("127.0.0.1:" + *port);
        if (!parsed || parsed->port == 0)
            return usageError(err, "export",
                              "invalid value for --port: '" + *port
                                  + "' (a port number from 1 to 65535)");
        options.port = parsed->port;
    }
    CommonFlags common;
    if (auto problem = readCommonFlags(*args, common))
        return usageError(err, "export", *problem);
    const auto config = loadConfig(*args, common);
    if (!config) {
        err << "meshd export: " << config.error().message << "\n";
        // As every verb: 2 for an invalid configuration, 1 when meshd could not be asked.
        return config.error().code == ErrorCode::Config ? ExitUsage : ExitFailed;
    }
    options.source = config->source;
    return writeExport(*config, *args, *format, options, out, err);
}

} // namespace meshcore::cli
