#include "daemon/daemon.h"

#include <chrono>
#include <csignal>
#include <ostream>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "admin/admin_api.h"
#include "admin/admin_server.h"
#include "admin/admin_token.h"
#include "control/mesh_config.h"
#include "core/state_dir.h"
#include "core/version.h"
#include "daemon/state_lock.h"
#include "demo/demo_mesh.h"

namespace meshcore::daemon {
namespace {

Result<control::MeshConfig> loadConfig(const UpOptions &options)
{
    if (options.configFile)
        return control::loadMeshConfigFile(*options.configFile);
    return control::parseMeshConfig(demo::demoMeshYaml(), demo::DemoMeshSource);
}

std::int64_t unixMillis(std::chrono::system_clock::time_point t)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

} // namespace

int runUp(const UpOptions &options, std::ostream &out, std::ostream &err)
{
    // A client that hangs up mid-response must not kill the mesh.
    std::signal(SIGPIPE, SIG_IGN);

    auto config = loadConfig(options);
    if (!config) {
        err << "meshd: " << config.error().message << "\n";
        return 2;
    }
    if (auto dir = ensurePrivateDir(options.stateDir); !dir) {
        err << "meshd: " << dir.error().message << "\n";
        return 1;
    }
    auto lock = StateLock::acquire(options.stateDir);
    if (!lock) {
        err << "meshd: " << lock.error().message << "\n";
        return 1;
    }
    auto token = admin::loadOrCreateAdminToken(options.stateDir);
    if (!token) {
        err << "meshd: " << token.error().message << "\n";
        return 1;
    }

    boost::asio::io_context io{1};
    const auto startedAt = std::chrono::system_clock::now();
    const auto startedSteady = std::chrono::steady_clock::now();
    Address adminAddress = options.admin;

    const admin::AdminApi api(*token, [&] {
        admin::VersionInfo info;
        info.version = MeshscopeVersion;
        info.apiVersion = AdminApiVersion;
        info.mesh = config->name;
        info.trustDomain = config->trustDomain;
        info.configSource = config->source;
        info.pid = ::getpid();
        info.startedAtUnixMs = unixMillis(startedAt);
        info.uptimeMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - startedSteady)
                            .count();
        info.adminAddress = adminAddress.toString();
        info.stateDir = options.stateDir.string();
        return info;
    });
    auto server = admin::AdminServer::create(
        io, options.admin, [&api](const admin::ApiRequest &request) { return api.handle(request); });
    if (!server) {
        err << "meshd: " << server.error().message << "\n";
        return 1;
    }
    adminAddress = (*server)->localAddress();

    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code &ec, int signal) {
        if (ec)
            return;
        out << "meshd: " << (signal == SIGINT ? "SIGINT" : "SIGTERM") << " received, shutting down"
            << std::endl;
        (*server)->stop();
    });

    out << "meshd " << MeshscopeVersion << ": mesh '" << config->name << "' from "
        << config->source << "\n"
        << "meshd: admin API listening on " << adminAddress.toString() << "\n"
        << "meshd: state directory " << options.stateDir.string() << " (admin token in "
        << (options.stateDir / admin::AdminTokenFileName).string() << ")" << std::endl;

    io.run();
    out << "meshd: stopped" << std::endl;
    return 0;
}

} // namespace meshcore::daemon
