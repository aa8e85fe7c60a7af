#include "daemon/daemon.h"
#include "core/service_key.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <csignal>
#include <ostream>
#include <map>
#include <thread>
#include <unistd.h>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "admin/admin_api.h"
#include "admin/admin_server.h"
#include "admin/admin_token.h"
#include "ca/certificate_authority.h"
#include "control/mesh_config.h"
#include "control/resource_sampler.h"
#include "control/supervisor.h"
#include "core/descriptor_limit.h"
#include "core/last_resort.h"
#include "core/state_dir.h"
#include "core/version.h"
#include "daemon/admin_routes.h"
#include "daemon/config_reload.h"
#include "daemon/data_plane.h"
#include "daemon/event_watch.h"
#include "daemon/state_lock.h"
#include "demo/demo_mesh.h"
#include "demo/load_generator.h"

namespace meshcore::daemon {
namespace {

// This program's own path, so `command: [meshd, ...]` needs no meshd on $PATH.
std::string selfExecutable()
{
    std::error_code ec;
    const auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("meshd") : path.string();
}

// Starts the process of a workload that has a command, pointed at its own sidecar.
void supervise(control::Supervisor &supervisor, const WorkloadInfo &workload)
{
    if (workload.replica.command.empty())
        return; // the user runs it
    auto env = workload.replica.env;
    env["http_proxy"] = env["HTTP_PROXY"] = "http://" + workload.outbound.toString();
    env["no_proxy"] = env["NO_PROXY"] = "127.0.0.1,localhost,::1";
    env["PORT"] = std::to_string(workload.port); // the one picked for `port: auto`
    env["MESHSCOPE_POD"] = workload.pod;
    env["MESHSCOPE_SERVICE"] = qualifiedName(workload.service, workload.ns);
    auto command = workload.replica.command;
    if (command.front() == "meshd")
        command.front() = selfExecutable(); // `meshd demo-app ...` runs this meshd
    supervisor.add({workload.pod, command, env});
}

// How long requests in flight get to finish when meshd stops.
constexpr std::chrono::milliseconds DrainDeadline{5000};

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

ca::CaSettings caSettingsFor(const control::MeshConfig &config)
{
    ca::CaSettings settings;
    settings.trustDomain = config.trustDomain;
    settings.anchorLifetime = config.identity.trustAnchorLifetime;
    settings.issuerLifetime = config.identity.issuerLifetime;
    settings.leafLifetime = config.identity.workloadLifetime;
    settings.clockSkew = config.identity.clockSkew;
    return settings;
}

// Once a second on the control thread: pick up CA changes made by `meshd ca` verbs, rotate the
// issuer when due, renew the sidecars' certificates, restart workloads that exited, sample their
// resources, apply the config file when it changed, and save the certificate inventory now and then.
class Housekeeping {
public:
    Housekeeping(boost::asio::io_context &io, ca::CertificateAuthority &authority,
                 DataPlane &dataPlane, control::Supervisor &supervisor,
                 control::ResourceSampler &resources, EventLog &events, ConfigReloader &reloader,
                 std::ostream &out, std::ostream &err)
        : m_timer(io)
        , m_resources(resources)
        , m_authority(authority)
        , m_dataPlane(dataPlane)
        , m_supervisor(supervisor)
        , m_events(events)
        , m_watch(events, dataPlane, supervisor)
        , m_reloader(reloader)
        , m_out(out)
        , m_err(err)
    {
    }
    void start() { schedule(); }
    void stop() { m_timer.cancel(); }

private:
    void schedule()
    {
        m_timer.expires_after(std::chrono::seconds(1));
        m_timer.async_wait([this](const boost::system::error_code &ec) {
            if (ec)
                return;
            // A bug in one part must not end housekeeping (certificate renewal among it).
            runReportingExceptions(m_err, "housekeeping", [this] { tick(); });
            schedule();
        });
    }
    void tick()
    {
        if (auto reloaded = m_authority.reloadIfChanged(); !reloaded)
            report("cannot reload the CA: " + reloaded.error().message);
        else if (*reloaded) {
            m_out << "meshd: CA changed on disk, reloaded (generation " << m_authority.generation() << ")" << std::endl;
            m_events.add("rotation", "ca", "the CA changed on disk (a 'meshd ca' verb): reloaded, generation "
                                               + std::to_string(m_authority.generation()));
        }
        if (auto rotated = m_authority.rotateIssuerIfDue(); !rotated)
            report("cannot rotate the issuer: " + rotated.error().message);
        else if (*rotated) {
            m_out << "meshd: issuer rotated on schedule (generation " << m_authority.generation() << ")" << std::endl;
            m_events.add("rotation", "issuer", "issuer rotated on schedule (generation " + std::to_string(m_authority.generation()) + ")");
        }
        m_reloader.watch();
        m_dataPlane.tick();
        m_supervisor.tick();
        m_watch.tick();
        std::map<std::string, pid_t> pids;
        for (const auto &process : m_supervisor.processes())
            pids[process.pod] = process.pid;
        m_resources.sample(pids, systemClock().now());
        if (++m_ticks % 5 == 0)
            (void)m_authority.saveIssuedInventory();
    }
    void report(const std::string &problem)
    {
        // Once per distinct problem, not once a second.
        if (problem != m_lastProblem)
            m_out << "meshd: " << problem << std::endl;
        m_lastProblem = problem;
    }

    boost::asio::steady_timer m_timer;
    control::ResourceSampler &m_resources;
    ca::CertificateAuthority &m_authority;
    DataPlane &m_dataPlane;
    control::Supervisor &m_supervisor;
    EventLog &m_events;
    EventWatch m_watch;
    ConfigReloader &m_reloader;
    std::ostream &m_out;
    std::ostream &m_err;
    std::string m_lastProblem;
    unsigned m_ticks = 0;
};

} // namespace

int runUp(const UpOptions &options, std::ostream &out, std::ostream &err)
{
    // A client that hangs up mid-response must not kill the mesh.
    std::signal(SIGPIPE, SIG_IGN);
    // Every connection is a descriptor; the soft limit (often 1024) is only a default.
    const auto descriptors = raiseDescriptorLimit();

    auto config = loadConfig(options);
    if (!config) {
        err << "meshd: " << config.error().message << "\n";
        return 2;
    }
    std::string configText; // as loaded, for the config-in-force check
    if (options.configFile) {
        std::ifstream file(*options.configFile, std::ios::binary);
        std::ostringstream text;
        text << file.rdbuf();
        configText = text.str();
    }
    if (auto dir = ensurePrivateDir(options.stateDir, "state directory"); !dir) {
        err << "meshd: " << dir.error().message << "\n";
        return 1;
    }
    auto stateLock = StateLock::acquire(options.stateDir);
    if (!stateLock) {
        err << "meshd: " << stateLock.error().message << "\n";
        return 1;
    }
    if (auto contents = checkStateDirContents(options.stateDir); !contents) {
        err << "meshd: " << contents.error().message << "\n";
        return 1;
    }
    // Under the state lock no other meshd writes here: these were left by one that was killed
    // (the CA's own directory is cleaned under its lock, which `meshd ca` verbs take too).
    removeStaleTempFiles(options.stateDir);
    auto token = admin::loadOrCreateAdminToken(options.stateDir);
    if (!token) {
        err << "meshd: " << token.error().message << "\n";
        return 1;
    }

    auto authority = ca::CertificateAuthority::openOrCreate(options.stateDir, caSettingsFor(*config), systemClock());
    if (!authority) {
        err << "meshd: " << authority.error().message << "\n";
        return 1;
    }
    if ((*authority)->settings().trustDomain != config->trustDomain) {
        err << "meshd: the CA in " << (*authority)->directory().string() << " is for trust domain '"
            << (*authority)->settings().trustDomain << "' but " << config->source << " says '"
            << config->trustDomain << "'; use another --state-dir or fix the configuration\n";
        return 1;
    }

    // The data plane: every sidecar, on its own threads.
    const unsigned workers = options.workers ? options.workers : std::max(1u, std::thread::hardware_concurrency());
    proxy::Workers dataWorkers(workers);
    auto dataPlane
        = DataPlane::create(*config, **authority, dataWorkers, options.outbound, systemClock());
    if (!dataPlane) {
        err << "meshd: " << dataPlane.error().message << "\n";
        return 1;
    }
    dataWorkers.start();
    const auto stopDataPlane = [&] {
        // No new connections; requests in flight get DrainDeadline to finish, idle connections close.
        if (!dataWorkers.drain([&] { (*dataPlane)->stop(); }, DrainDeadline))
            out << "meshd: requests still in flight after " << DrainDeadline.count() << " ms were cut off" << std::endl;
    };

    // The user's workloads that have a command, each pointed at its own sidecar.
    control::Supervisor supervisor(options.stateDir / "logs", systemClock());
    for (const auto &workload : (*dataPlane)->workloads())
        supervise(supervisor, workload);

    boost::asio::io_context io{1};
    const auto startedAt = std::chrono::system_clock::now();
    const auto startedSteady = std::chrono::steady_clock::now();
    Address adminAddress = options.admin;

    control::ResourceSampler resources; // RSS and CPU of the supervised processes
    EventLog events;
    events.add("start", config->name,
               "meshd " + std::string(MeshscopeVersion) + " started mesh '" + config->name + "' from " + config->source + " with "
                   + std::to_string(config->services.size()) + " service" + (config->services.size() == 1 ? "" : "s"));

    // The mesh's own traffic, if the configuration asks for it (the demo mesh does).
    std::unique_ptr<demo::LoadGenerator> load;
    const auto startLoad = [&](const control::MeshConfig &mesh) {
        load.reset();
        if (mesh.load.rate <= 0)
            return;
        std::vector<std::uint16_t> supervisedPorts;
        for (const auto &w : (*dataPlane)->workloads())
            if (!w.replica.command.empty())
                supervisedPorts.push_back(w.port);
        load = std::make_unique<demo::LoadGenerator>(mesh.load, (*dataPlane)->localOutbound(), supervisedPorts);
        out << "meshd: load generator: " << mesh.load.rate << " requests/s to " << mesh.load.targets.size() << " target"
            << (mesh.load.targets.size() == 1 ? "" : "s") << std::endl;
    };
    const auto log = [&out](const std::string &line) { out << "meshd: " << line << std::endl; };
    ConfigReloader reloader(options.configFile, *config, configText,
                            {**dataPlane, supervisor, events, log,
                             [&supervisor](const WorkloadInfo &workload) { supervise(supervisor, workload); },
                             [&](const control::MeshConfig &before) {
                                 if (!(before.load == reloader.config().load))
                                     startLoad(reloader.config());
                             }});

    admin::AdminApi api(*token);
    const auto versionInfo = [&] {
        admin::VersionInfo info;
        info.version = MeshscopeVersion;
        info.apiVersion = AdminApiVersion;
        info.mesh = reloader.config().name;
        info.trustDomain = reloader.config().trustDomain;
        info.configSource = reloader.config().source;
        info.pid = ::getpid();
        info.startedAtUnixMs = unixMillis(startedAt);
        info.uptimeMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - startedSteady)
                            .count();
        info.adminAddress = adminAddress.toString();
        info.stateDir = options.stateDir.string();
        return info;
    };
    addAdminRoutes(api, AdminContext{versionInfo, authority->get(), &systemClock(), log, dataPlane->get(), &supervisor, &events,
                                     &reloader, &resources});
    auto server = admin::AdminServer::create(
        io, options.admin, [&api](const admin::ApiRequest &request) { return api.handle(request); });
    if (!server) {
        err << "meshd: " << server.error().message << "\n";
        stopDataPlane();
        supervisor.stopAll(std::chrono::seconds(5));
        return 1;
    }
    adminAddress = (*server)->localAddress();

    Housekeeping maintenance(io, **authority, **dataPlane, supervisor, resources, events, reloader,
                             out, err);
    maintenance.start();
    // SIGHUP reloads the configuration, as daemons do (so does `meshd reload`, with an answer).
    boost::asio::signal_set hangups(io, SIGHUP);
    std::function<void()> awaitHangup = [&] {
        hangups.async_wait([&](const boost::system::error_code &ec, int) {
            if (ec)
                return;
            runReportingExceptions(err, "SIGHUP reload", [&] { (void)reloader.reload("SIGHUP"); });
            awaitHangup();
        });
    };
    awaitHangup();
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code &ec, int signal) {
        if (ec)
            return;
        out << "meshd: " << (signal == SIGINT ? "SIGINT" : "SIGTERM") << " received, shutting down"
            << std::endl;
        (*server)->stop();
        maintenance.stop();
        hangups.cancel();
    });

    out << "meshd " << MeshscopeVersion << ": mesh '" << config->name << "' from "
        << config->source << "\n"
        << "meshd: admin API listening on " << adminAddress.toString() << "\n"
        << "meshd: state directory " << options.stateDir.string() << " (admin token in "
        << (options.stateDir / admin::AdminTokenFileName).string() << ")\n"
        << "meshd: " << ((*authority)->wasCreated() ? "created the " : "") << "CA for trust domain '"
        << (*authority)->settings().trustDomain << "' (generation "
        << (*authority)->generation() << ", trust bundle in "
        << ((*authority)->directory() / "trust-bundle.pem").string() << ")" << std::endl;
    out << "meshd: outbound proxy for local clients on " << (*dataPlane)->localOutbound().toString() << " (identity "
        << (*dataPlane)->localIdentity() << "; curl -x http://" << (*dataPlane)->localOutbound().toString()
        << " http://SERVICE/)\n";
    for (const auto &w : (*dataPlane)->workloads())
        out << "meshd: workload " << w.pod << " (127.0.0.1:" << w.port << "): inbound " << w.inbound.toString()
            << ", outbound " << w.outbound.toString() << "\n";
    out << "meshd: " << workers << " data-plane thread" << (workers == 1 ? "" : "s") << std::endl;
    out << "meshd: open file limit " << descriptors.now;
    if (descriptors.now != descriptors.before)
        out << " (raised from " << descriptors.before << " to the hard limit)";
    out << std::endl;
    // Say it loudly at start when the CA cannot do its job or something is about to expire.
    if (auto ready = (*authority)->canIssue(); !ready)
        out << "meshd: WARNING: " << ready.error().message << std::endl;
    for (const auto &entry : (*authority)->inventory())
        if (entry.kind != ca::InventoryEntry::Kind::Workload && entry.state != ca::CertState::Ok)
            out << "meshd: WARNING: " << ca::inventoryKindName(entry.kind) << " '" << entry.identity << "' is "
                << ca::certStateName(entry.state) << " (see 'meshd ca inspect')" << std::endl;

    startLoad(*config);

    out << "meshd: ready" << std::endl;
    runLoopReportingExceptions(io, err, "control thread");
    load.reset(); // before the drain: the last requests finish
    stopDataPlane(); // first: the workloads answer the requests in flight
    supervisor.stopAll(std::chrono::seconds(5));
    (void)(*authority)->saveIssuedInventory();
    out << "meshd: stopped" << std::endl;
    return 0;
}

} // namespace meshcore::daemon
