#include "daemon/daemon.h"

#include <chrono>
#include <filesystem>
#include <functional>
#include <ostream>
#include <thread>
#include <unistd.h>

#include <boost/asio/io_context.hpp>

#include "admin/admin_api.h"
#include "admin/admin_server.h"
#include "control/resource_sampler.h"
#include "control/supervisor.h"
#include "core/last_resort.h"
#include "core/version.h"
#include "daemon/banner.h"
#include "daemon/config_reload.h"
#include "daemon/data_plane.h"
#include "daemon/drain.h"
#include "daemon/housekeeping.h"
#include "daemon/mesh_load.h"
#include "daemon/rollout_traffic.h"
#include "daemon/routes/admin_routes.h"
#include "daemon/signals.h"
#include "daemon/startup.h"
#include "daemon/workload_supervision.h"

namespace meshcore::daemon {
namespace {

std::int64_t unixMillis(std::chrono::system_clock::time_point t)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// GET /api/v1/version's answer for this meshd now.
admin::VersionInfo versionOf(const control::MeshConfig &config,
                             std::chrono::system_clock::time_point startedAt,
                             std::chrono::steady_clock::time_point startedSteady,
                             const Address &adminAddress, const std::filesystem::path &stateDir)
{
    admin::VersionInfo info;
    info.version = MeshscopeVersion;
    info.apiVersion = AdminApiVersion;
    info.mesh = config.name;
    info.trustDomain = config.trustDomain;
    info.configSource = config.source;
    info.pid = ::getpid();
    info.startedAtUnixMs = unixMillis(startedAt);
    info.uptimeMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - startedSteady)
                        .count();
    info.adminAddress = adminAddress.toString();
    info.stateDir = stateDir.string();
    return info;
}

// Sets the splits set at run time before this start back (those mesh.yaml did not change since),
// reads the rollouts' state file (resuming or rolling back what was running: an active rollout's
// weight wins) and starts the configuration's rollouts that have not run yet; a state file that
// cannot be read is reported.
void startRollouts(SplitMemory &splits, rollout::RolloutController &rollouts,
                   const control::MeshConfig &config, EventLog &events, std::ostream &err)
{
    splits.restore();
    if (auto loaded = rollouts.load(); !loaded) {
        err << "meshd: " << loaded.error().message << std::endl;
        events.add("rollout", "rollouts", loaded.error().message);
    }
    rollouts.applyConfig(config.rollouts); // those of mesh.yaml not yet run with this spec
}

// A part's reports (subject, sentence) as a log line ("<prefix><subject>: <sentence>") and an
// event of `kind`.
std::function<void(const std::string &, const std::string &)>
reportTo(EventLog &events, const std::function<void(const std::string &)> &log, std::string kind,
         std::string prefix)
{
    return [&events, log, kind = std::move(kind),
            prefix = std::move(prefix)](const std::string &subject, const std::string &message) {
        log(prefix + subject + ": " + message);
        events.add(kind, subject, message);
    };
}

// How long supervised processes get to exit after SIGTERM when meshd stops.
constexpr std::chrono::seconds StopGrace {5};

// The control thread's parts over a running data plane: the event log, the mesh's own load, the
// config reloader, the admin API, housekeeping and signals; then the control loop until SIGINT or
// SIGTERM, and `shutdown` (the drain) while these parts still stand: a second signal during the
// drain is still caught, not left to its default action that would cut the drain short.
// 0 after a clean stop, 1 when the admin API cannot listen.
int serve(const UpOptions &options, Foundations &foundations,
          Result<std::unique_ptr<DataPlane>> &dataPlane, control::Supervisor &supervisor,
          unsigned workers, const std::function<void()> &shutdown, std::ostream &out,
          std::ostream &err)
{
    auto &config = foundations.config;
    auto &token = foundations.token;
    auto &authority = foundations.authority;
    boost::asio::io_context io {1};
    const auto startedAt = std::chrono::system_clock::now();
    const auto startedSteady = std::chrono::steady_clock::now();
    Address adminAddress = options.admin;

    control::ResourceSampler resources; // RSS and CPU of the supervised processes
    EventLog events;
    events.add("start", config->name, startMessage(*config));
    MeshLoad load(**dataPlane, out); // the mesh's own traffic, if the configuration asks for it
    const auto log = [&out](const std::string &line) { out << "meshd: " << line << std::endl; };
    SplitMemory splits(**dataPlane, systemClock(), options.stateDir / "splits.json",
                       reportTo(events, log, "split", ""));
    RolloutTraffic rolloutTraffic(**dataPlane, splits);
    rollout::RolloutController rollouts(rolloutTraffic, systemClock(),
                                        options.stateDir / "rollouts.json",
                                        reportTo(events, log, "rollout", "rollout of "));
    startRollouts(splits, rollouts, *config, events, err);

    ConfigReloader reloader(
        options.configFile, *config, foundations.configText,
        {**dataPlane, supervisor, events, log,
         [&supervisor](const WorkloadInfo &workload) { supervise(supervisor, workload); },
         [&](const control::MeshConfig &before) {
             if (!(before.load == reloader.config().load))
                 load.start(reloader.config());
             splits.reconcile();
             rollouts.applyConfig(reloader.config().rollouts);
         }});

    admin::AdminApi api(*token);
    const auto versionInfo = [&] {
        return versionOf(reloader.config(), startedAt, startedSteady, adminAddress,
                         options.stateDir);
    };
    addAdminRoutes(api,
                   AdminContext {versionInfo, **authority, systemClock(), log, **dataPlane,
                                 supervisor, events, reloader, resources, rollouts, splits});
    auto server
        = admin::AdminServer::create(io, options.admin, [&api](const admin::ApiRequest &request) {
              return api.handle(request);
          });
    if (!server) {
        err << "meshd: " << server.error().message << "\n";
        shutdown();
        return 1;
    }
    adminAddress = (*server)->localAddress();

    Housekeeping maintenance(io, **authority, **dataPlane, supervisor, resources, events, reloader,
                             rollouts, out, err);
    maintenance.start();
    SignalWatch signalWatch(
        io, err, [&] { (void)reloader.reload("SIGHUP"); },
        [&](const char *signal) {
            out << "meshd: " << signal << " received, shutting down" << std::endl;
            (*server)->stop();
            maintenance.stop();
        });

    printBanner(out,
                {*config, options.stateDir, adminAddress, **authority, **dataPlane, workers,
                 foundations.descriptors});
    load.start(*config);
    out << "meshd: ready" << std::endl;
    runLoopReportingExceptions(io, err, "control thread");
    load.stop(); // before the drain: the last requests finish
    rolloutTraffic.stopAll();
    shutdown();
    return 0;
}

} // namespace

// The composition root: the foundations, the data plane and the workloads behind it, the control
// thread's parts until a signal stops them, then the shutdown in the reverse order.
int runUp(const UpOptions &options, std::ostream &out, std::ostream &err)
{
    ignoreBrokenPipes();
    Foundations foundations; // the open file limit, configuration, state directory, admin token, CA
    if (const int status = layFoundations(options, foundations, err); status != 0)
        return status;
    auto &config = foundations.config;
    auto &authority = foundations.authority;

    // The data plane: every sidecar, on its own threads.
    const unsigned workers
        = options.workers ? options.workers : std::max(1u, std::thread::hardware_concurrency());
    proxy::Workers dataWorkers(workers);
    auto dataPlane
        = DataPlane::create(*config, **authority, dataWorkers, options.outbound, systemClock());
    if (!dataPlane) {
        err << "meshd: " << dataPlane.error().message << "\n";
        return 1;
    }
    dataWorkers.start();

    // The user's workloads that have a command, each pointed at its own sidecar.
    control::Supervisor supervisor(options.stateDir / "logs", systemClock());
    superviseAll(supervisor, **dataPlane);

    const auto shutdown = [&] {
        // The data plane first: the workloads answer the requests in flight.
        drainDataPlane(dataWorkers, **dataPlane, out);
        supervisor.stopAll(StopGrace);
    };
    const int status
        = serve(options, foundations, dataPlane, supervisor, workers, shutdown, out, err);
    if (status != 0)
        return status;
    (void)(*authority)->saveIssuedInventory();
    out << "meshd: stopped" << std::endl;
    return 0;
}

} // namespace meshcore::daemon
