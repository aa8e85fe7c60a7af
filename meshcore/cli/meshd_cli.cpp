#include "cli/meshd_cli.h"

#include <algorithm>
#include <cstdlib>
#include <ostream>

#include "admin/admin_token.h"
#include "cli/args.h"
#include "cli/ca_commands.h"
#include "cli/cli_common.h"
#include "client/admin_client.h"
#include "core/address.h"
#include "core/duration.h"
#include "core/state_dir.h"
#include "core/version.h"
#include "daemon/daemon.h"

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
  meshd help [VERB]     show help for a verb
  meshd --version       print the version
  meshd --help          show this help

Defaults: admin API on 127.0.0.1:4191, state directory $XDG_STATE_HOME/meshscope
(~/.local/state/meshscope). Exit status: 0 ok, 1 failed, 2 bad usage or invalid config.
)";

constexpr const char *UpHelp = R"(Usage: meshd up [--config FILE | --demo] [--state-dir DIR] [--admin ADDR] [--outbound ADDR] [--workers N]

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

constexpr const char *VersionHelp = R"(Usage: meshd version [--admin ADDR] [--state-dir DIR] [--timeout DURATION]

Prints this program's version and the version of the meshd answering on the admin address.

  --admin ADDR       the running meshd's admin API (default 127.0.0.1:4191)
  --state-dir DIR    where to read its admin token (default $XDG_STATE_HOME/meshscope)
  --timeout DURATION how long to wait for an answer (default 5s)
  --client           print only the client version, contact no meshd
)";

int runUpVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err)
{
    auto args = parseArgs(rest, {{"config"}, {"demo", false}, {"state-dir"}, {"admin"}, {"outbound"}, {"workers"}, {"help", false}});
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
    if (const auto config = args->value("config"))
        options.configFile = std::filesystem::path(*config);
    options.stateDir = common.stateDir;
    options.admin = common.admin;
    if (const auto outbound = args->value("outbound")) {
        auto parsed = parseAddress(*outbound);
        if (!parsed || !parsed->isLoopback())
            return usageError(err, "up", "invalid value for --outbound: "
                                             + (parsed ? parsed->toString() + " is not a loopback address" : parsed.error().message));
        options.outbound = *parsed;
    }
    if (const auto workers = args->value("workers")) {
        const int n = std::atoi(workers->c_str());
        if (n < 1 || n > 256 || std::to_string(n) != *workers)
            return usageError(err, "up", "invalid value for --workers: '" + *workers + "' (a number from 1 to 256)");
        options.workers = static_cast<unsigned>(n);
    }
    return daemon::runUp(options, out, err);
}

int runVersionVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err)
{
    auto args = parseArgs(rest, {{"admin"}, {"state-dir"}, {"timeout"}, {"client", false}, {"help", false}});
    if (!args)
        return usageError(err, "version", args.error().message);
    if (args->has("help")) {
        out << VersionHelp;
        return ExitOk;
    }
    if (!args->positional().empty())
        return usageError(err, "version", "unexpected argument '" + args->positional().front() + "'");
    CommonFlags common;
    if (auto problem = readCommonFlags(*args, common))
        return usageError(err, "version", *problem);
    std::chrono::milliseconds timeout{5000};
    if (const auto text = args->value("timeout")) {
        auto parsed = parseDuration(*text);
        if (!parsed || parsed->count() == 0)
            return usageError(err, "version", "invalid value for --timeout: "
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
    if (auto token = admin::readAdminToken(common.stateDir))
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
        << ", up " << formatDuration(std::chrono::milliseconds(info->uptimeMs / 1000 * 1000)) << ")\n";
    return ExitOk;
}

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
    if (verb.starts_with("-"))
        return usageError(err, "", "unknown flag '" + verb + "'");
    return usageError(err, "", "unknown verb '" + verb + "'");
}

} // namespace meshcore::cli
