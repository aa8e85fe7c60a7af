#include "cli/meshd_cli.h"
#include "core/service_key.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <ostream>
#include <system_error>

#include "cli/args.h"
#include "cli/ca_commands.h"
#include "cli/check_command.h"
#include "cli/cli_common.h"
#include "cli/events_command.h"
#include "cli/export_command.h"
#include "cli/fault_command.h"
#include "cli/reload_command.h"
#include "cli/rollout_command.h"
#include "cli/split_command.h"
#include "cli/tap_command.h"
#include "cli/topology_commands.h"
#include "client/admin_client.h"
#include "core/address.h"
#include "core/duration.h"
#include "core/state_dir.h"
#include "core/version.h"
#include "daemon/daemon.h"
#include "demo/demo_app.h"

namespace meshcore::cli {
namespace {

constexpr const char *MainHelp = R"(meshd - the Meshscope service-mesh core

Usage:
  meshd up [--config FILE | --demo] [--state-dir DIR] [--admin ADDR] [--outbound ADDR] [--workers N]
                        run the mesh in the foreground (Ctrl-C stops it)
  meshd version [--admin ADDR] [--state-dir DIR] [--timeout DURATION]
                        print this meshd's version and the running one's
  meshd ca init|issue|inspect|rotate-issuer|rotate-anchor [FLAGS]
                        the mesh certificate authority (meshd ca --help)
  meshd env SERVICE|POD [--admin ADDR] [--state-dir DIR]
                        print the environment for running a workload by hand behind its sidecar
  meshd stat [--window D] [--json]
                        every service's request rate, success rate and latency
  meshd edges [--window D] [--json]
                        who calls whom, and whether it is mTLS
  meshd routes SERVICE [--json]
                        a service's routes: rate, success, latency, retries, timeouts
  meshd check [--json]  health checks with hints, like linkerd check (exit 1 on a failure)
  meshd tap [SERVICE] [--from S] [--route R] [--path P] [--method M] [--status 5xx] [--max N] [--json]
                        live requests as they finish, with status, latency and identities
  meshd top [SERVICE] [filters] [--duration D] [--json]
                        the live tap summed up by caller and path, busiest first
  meshd reload [--json]  apply the running meshd's --config file now (it also does when the file changes)
  meshd events [--json] what just happened: rotations, breaker trips, restarts, split changes
  meshd split SERVICE [VERSION=WEIGHT...] [--json]
                        show or set a service's traffic split between its versions
  meshd rollout start|list|status|pause|resume|promote|skip|set-weight|abort|retry ...
                        canary, blue/green and A/B rollouts with analysis (meshd rollout --help)
  meshd export [--config FILE | --demo] [--service NAME] [--format httproute|flagger|argo|all]
                        a service (and its rollout) as Kubernetes YAML for Linkerd, Flagger, Argo
  meshd fault set SERVICE VERSION [--abort PERCENT[:STATUS]] [--delay PERCENT:MS]
  meshd fault clear SERVICE VERSION | meshd fault list [--json]
                        break one version on purpose (until cleared), or list what is broken
  meshd demo-app [--port N] [--name NAME] [--call URL]... [--latency D] [--error-rate R] [--payload N]
                        a small HTTP workload for demos: answers with the caller's identity
  meshd help [VERB]     show help for a verb
  meshd --version       print the version
  meshd --help          show this help

Defaults: admin API on 127.0.0.1:4191, state directory $XDG_STATE_HOME/meshscope
(~/.local/state/meshscope). Exit status: 0 ok, 1 failed, 2 bad usage or invalid config.
)";

constexpr const char *DemoAppHelp
    = R"(Usage: meshd demo-app [--port N] [--name NAME] [--call URL]... [--latency DURATION] [--error-rate R] [--payload BYTES]

A small HTTP workload for demos: answers every request with JSON naming itself and its caller's
mesh identity, after calling each --call URL through its http_proxy (its sidecar). A failing
downstream makes it answer 500.

  --port N          where it listens on 127.0.0.1 (default: $PORT, as meshd sets it)
  --name NAME       the name it answers with
  --call URL        a downstream to call per request (repeat for more)
  --latency D       time added per request, jittered +-25 % (e.g. 20ms)
  --error-rate R    share of requests answered 500, from 0 to 1
  --payload BYTES   extra bytes in every answer
  --leak BYTES      memory kept for good per request (the "phantom resource leak" demo)
)";

constexpr const char *UpHelp
    = R"(Usage: meshd up [--config FILE | --demo] [--state-dir DIR] [--admin ADDR] [--outbound ADDR] [--workers N]

Runs the mesh in the foreground until SIGINT (Ctrl-C) or SIGTERM.

  --config FILE     the mesh configuration (mesh.yaml; see docs/config.md)
  --demo            run the embedded demo mesh instead of a file
  --state-dir DIR   CA keys, admin token and other state (default $XDG_STATE_HOME/meshscope)
  --admin ADDR      where the admin API listens, loopback only (default 127.0.0.1:4191;
                    port 0 picks a free port and prints it)
  --outbound ADDR   the outbound proxy for clients outside the mesh, loopback only
                    (default 127.0.0.1:4140): curl -x http://127.0.0.1:4140 http://SERVICE/
  --workers N       data-plane threads (default: one per core)
)";

constexpr const char *VersionHelp
    = R"(Usage: meshd version [--admin ADDR] [--state-dir DIR] [--timeout DURATION]

Prints this program's version and the version of the meshd answering on the admin address.

  --admin ADDR       the running meshd's admin API (default 127.0.0.1:4191)
  --state-dir DIR    where to read its admin token (default $XDG_STATE_HOME/meshscope)
  --timeout DURATION how long to wait for an answer (default 5s)
  --client           print only the client version, contact no meshd
)";

int runUpVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err)
{
    auto args = parseArgs(rest,
                          {{"config"},
                           {"demo", false},
                           {"state-dir"},
                           {"admin"},
                           {"outbound"},
                           {"workers"},
                           {"help", false}});
    if (!args)
        return usageError(err, "up", args.error().message);
    if (args->has("help")) {
        out << UpHelp;
        return ExitOk;
    }
    if (!args->positional().empty())
        return usageError(err, "up", "unexpected argument '" + args->positional().front() + "'");
    if (args->has("config") == args->has("demo"))
        return usageError(err, "up", "give exactly one of --config FILE or --demo");
    CommonFlags common;
    if (auto problem = readCommonFlags(*args, common))
        return usageError(err, "up", *problem);

    daemon::UpOptions options;
    if (const auto config = args->value("config")) {
        // Absolute, so that `meshd export` and the app, run elsewhere, find the same file.
        std::error_code ec;
        const auto absolute = std::filesystem::absolute(*config, ec);
        options.configFile = ec ? std::filesystem::path(*config) : absolute;
    }
    options.stateDir = common.stateDir;
    options.admin = common.admin;
    if (const auto outbound = args->value("outbound")) {
        auto parsed = parseAddress(*outbound);
        if (!parsed || !parsed->isLoopback())
            return usageError(err, "up",
                              "invalid value for --outbound: "
                                  + (parsed ? parsed->toString() + " is not a loopback address"
                                            : parsed.error().message));
        options.outbound = *parsed;
    }
    if (const auto workers = args->value("workers")) {
        const int n = std::atoi(workers->c_str());
        if (n < 1 || n > 256 || std::to_string(n) != *workers)
            return usageError(err, "up",
                              "invalid value for --workers: '" + *workers
                                  + "' (a number from 1 to 256)");
        options.workers = static_cast<unsigned>(n);
    }
    return daemon::runUp(options, out, err);
}

int runVersionVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err)
{
    auto args = parseArgs(
        rest, {{"admin"}, {"state-dir"}, {"timeout"}, {"client", false}, {"help", false}});
    if (!args)
        return usageError(err, "version", args.error().message);
    if (args->has("help")) {
        out << VersionHelp;
        return ExitOk;
    }
    if (!args->positional().empty())
        return usageError(err, "version",
                          "unexpected argument '" + args->positional().front() + "'");
    CommonFlags common;
    if (auto problem = readCommonFlags(*args, common))
        return usageError(err, "version", *problem);
    std::chrono::milliseconds timeout {5000};
    if (const auto text = args->value("timeout")) {
        auto parsed = parseDuration(*text);
        if (!parsed || parsed->count() == 0)
            return usageError(
                err, "version",
                "invalid value for --timeout: "
                    + (parsed ? std::string("must be above 0") : parsed.error().message));
        timeout = *parsed;
    }

    out << "Client version: " << MeshscopeVersion << "\n";
    if (args->has("client"))
        return ExitOk;

    client::AdminClient::Options options;
    options.address = common.admin;
    options.requestTimeout = timeout;
    options.connectTimeout = std::min(timeout, std::chrono::milliseconds(1000));
    auto token = adminTokenIfAny(common.stateDir);
    if (!token) {
        out << "Server version: unavailable\n";
        err << "meshd version: " << token.error().message << "\n";
        return ExitFailed;
    }
    options.token = *token;
    auto client = client::AdminClient::create(options);
    if (!client) {
        err << "meshd version: " << client.error().message << "\n";
        return ExitFailed;
    }
    auto info = (*client)->version();
    if (!info) {
        out << "Server version: unavailable\n";
        err << "meshd version: " << info.error().message << "\n";
        return ExitFailed;
    }
    out << "Server version: " << info->version << " (mesh '" << info->mesh << "', pid " << info->pid
        << ", up " << formatDuration(std::chrono::milliseconds(info->uptimeMs / 1000 * 1000))
        << ")\n";
    return ExitOk;
}

int runDemoAppVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err)
{
    // --call may repeat: collect those first, parse the rest as usual.
    std::vector<std::string> others;
    demo::DemoAppOptions options;
    for (std::size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] == "--call" && i + 1 < rest.size())
            options.calls.push_back(rest[++i]);
        else if (rest[i].starts_with("--call="))
            options.calls.push_back(rest[i].substr(7));
        else
            others.push_back(rest[i]);
    }
    auto args = parseArgs(
        others,
        {{"port"}, {"name"}, {"latency"}, {"error-rate"}, {"payload"}, {"leak"}, {"help", false}});
    if (!args)
        return usageError(err, "demo-app", args.error().message);
    if (args->has("help")) {
        out << DemoAppHelp;
        return ExitOk;
    }
    // --port, or $PORT as meshd sets it for supervised workloads (`port: auto`).
    // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before the demo app starts any thread
    const char *portVariable = std::getenv("PORT");
    const auto portText = args->value("port").value_or(portVariable ? portVariable : "");
    const auto port = parseAddress("127.0.0.1:" + portText);
    if (!port || port->port == 0)
        return usageError(err, "demo-app", "--port (or $PORT) needs a port number from 1 to 65535");
    options.port = port->port;
    options.name = args->value("name").value_or("demo");
    if (const auto latency = args->value("latency")) {
        const auto parsed = parseDuration(*latency);
        if (!parsed)
            return usageError(err, "demo-app", "--latency: " + parsed.error().message);
        options.latency = *parsed;
    }
    if (const auto rate = args->value("error-rate")) {
        char *end = nullptr;
        options.errorRate = std::strtod(rate->c_str(), &end);
        if (rate->empty() || *end != '\0' || options.errorRate < 0 || options.errorRate > 1)
            return usageError(err, "demo-app", "--error-rate is a share from 0 to 1, like 0.02");
    }
    if (const auto payload = args->value("payload")) {
        char *end = nullptr;
        const auto bytes = std::strtoull(payload->c_str(), &end, 10);
        if (payload->empty() || *end != '\0' || bytes > (16u << 20))
            return usageError(err, "demo-app", "--payload is a number of bytes up to 16 MiB");
        options.payloadBytes = bytes;
    }
    if (const auto leak = args->value("leak")) {
        char *end = nullptr;
        const auto bytes = std::strtoull(leak->c_str(), &end, 10);
        if (leak->empty() || *end != '\0' || bytes > (16u << 20))
            return usageError(err, "demo-app", "--leak is a number of bytes up to 16 MiB");
        options.leakBytes = bytes;
    }
    return demo::runDemoApp(options, out, err);
}

void printUpstreams(std::ostream &out, const std::vector<admin::UpstreamStatus> &upstreams)
{
    for (const auto &u : upstreams)
        out << "export " << u.env << "=" << u.address << "  # " << u.service << "\n";
}

// The environment of the local clients (--local): 4140 and the mesh's own upstream ports.
int printLocalEnv(const admin::WorkloadsReport &report, std::ostream &out)
{
    const std::string proxy = "http://" + report.localOutbound;
    out << "# local clients (" << report.localIdentity << "): set these in your shell\n"
        << "export http_proxy=" << proxy << "\nexport HTTP_PROXY=" << proxy << "\n"
        << "export no_proxy=127.0.0.1,localhost,::1\nexport NO_PROXY=127.0.0.1,localhost,::1\n";
    printUpstreams(out, report.localUpstreams);
    return ExitOk;
}

int runEnvVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err)
{
    auto args = parseArgs(rest, {{"admin"}, {"state-dir"}, {"local", false}, {"help", false}});
    if (!args)
        return usageError(err, "env", args.error().message);
    const bool local = args->has("local");
    if (args->has("help") || args->positional().size() != (local ? 0 : 1)) {
        if (args->has("help")) {
            out << "Usage: meshd env SERVICE|POD [--admin ADDR] [--state-dir DIR]\n"
                   "       meshd env --local [--admin ADDR] [--state-dir DIR]\n";
            return ExitOk;
        }
        return usageError(err, "env",
                          "name one service (web, web.shop) or pod (web-v1-0), or --local");
    }
    CommonFlags common;
    if (auto problem = readCommonFlags(*args, common))
        return usageError(err, "env", *problem);
    auto client = adminClient(common);
    auto report = client ? (*client)->workloadsReport()
                         : Result<admin::WorkloadsReport>(tl::unexpected(client.error()));
    if (!report) {
        err << "meshd env: " << report.error().message << "\n";
        return ExitFailed;
    }
    if (local)
        return printLocalEnv(*report, out);
    const std::string wanted = args->positional().front();
    std::vector<std::string> known;
    for (const auto &w : report->workloads) {
        known.push_back(w.pod);
        if (wanted != w.pod && wanted != w.service && wanted != qualifiedName(w.service, w.ns))
            continue;
        const std::string proxy = "http://" + w.outbound;
        out << "# " << w.pod << " (" << w.identity << "): run it on 127.0.0.1:" << w.port
            << " with these set\n"
            << "export http_proxy=" << proxy << "\nexport HTTP_PROXY=" << proxy << "\n"
            << "export no_proxy=127.0.0.1,localhost,::1\nexport NO_PROXY=127.0.0.1,localhost,::1\n"
            << "export PORT=" << w.port << "\n";
        printUpstreams(out, w.upstreams);
        return ExitOk;
    }
    std::string list;
    for (const auto &k : known)
        list += (list.empty() ? "" : ", ") + k;
    err << "meshd env: no workload '" << wanted
        << "' in this mesh (workloads: " << (list.empty() ? "none" : list) << ")\n";
    return ExitFailed;
}

// The verbs that read meshd's admin API (export only to find its file), by name.
using VerbRunner = int (*)(const std::vector<std::string> &, std::ostream &, std::ostream &);
const std::map<std::string, VerbRunner> ApiVerbs = {
    {"split", runSplitVerb}, {"fault", runFaultVerb},   {"rollout", runRolloutVerb},
    {"stat", runStatVerb},   {"events", runEventsVerb}, {"check", runCheckVerb},
    {"edges", runEdgesVerb}, {"routes", runRoutesVerb}, {"tap", runTapVerb},
    {"top", runTopVerb},     {"reload", runReloadVerb}, {"export", runExportVerb},
};

} // namespace

int runMeshd(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    if (args.empty()) {
        err << MainHelp;
        return ExitUsage;
    }
    const std::string &verb = args.front();
    const std::vector<std::string> rest(args.begin() + 1, args.end());
    if (verb == "--version" || verb == "-V") {
        out << "meshd " << MeshscopeVersion << "\n";
        return ExitOk;
    }
    if (verb == "--help" || verb == "-h") {
        out << MainHelp;
        return ExitOk;
    }
    if (verb == "help") {
        if (rest.empty())
            out << MainHelp;
        else if (rest.front() == "up")
            out << UpHelp;
        else if (rest.front() == "version")
            out << VersionHelp;
        else if (rest.front() == "ca")
            return runCaVerb({"--help"}, out, err);
        else if (const auto found = ApiVerbs.find(rest.front()); found != ApiVerbs.end())
            return found->second({"--help"}, out, err);
        else
            return usageError(err, "", "no such verb '" + rest.front() + "'");
        return ExitOk;
    }
    if (verb == "up")
        return runUpVerb(rest, out, err);
    if (verb == "version")
        return runVersionVerb(rest, out, err);
    if (verb == "ca")
        return runCaVerb(rest, out, err);
    if (verb == "demo-app")
        return runDemoAppVerb(rest, out, err);
    if (verb == "env")
        return runEnvVerb(rest, out, err);
    if (const auto found = ApiVerbs.find(verb); found != ApiVerbs.end())
        return found->second(rest, out, err);
    if (verb.starts_with("-"))
        return usageError(err, "", "unknown flag '" + verb + "'");
    return usageError(err, "", "unknown verb '" + verb + "'");
}

} // namespace meshcore::cli
