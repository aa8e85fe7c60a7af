#include "daemon/config_reload.h"
#include "core/service_key.h"

#include <algorithm>
#include <set>

#include "core/state_dir.h"

namespace meshcore::daemon {
namespace {

// How long a removed workload's process keeps running for the requests it still has.
constexpr std::chrono::milliseconds RemovalDrain {5000};
constexpr std::chrono::milliseconds StopGrace {5000};

std::set<std::string> serviceNames(const control::MeshConfig &config)
{
    std::set<std::string> names;
    for (const auto &service : config.services)
        names.insert(qualifiedName(service.name, service.ns));
    return names;
}

std::string joined(const std::vector<std::string> &items)
{
    std::string text;
    for (const auto &item : items)
        text += (text.empty() ? "" : ", ") + item;
    return text;
}

// Why `next` cannot replace `current` while meshd runs, if it cannot.
std::optional<std::string> fixedWhileRunning(const control::MeshConfig &current,
                                             const control::MeshConfig &next)
{
    if (next.trustDomain != current.trustDomain)
        return "trust_domain cannot change while meshd runs ('" + current.trustDomain
            + "' is in force, the file says '" + next.trustDomain
            + "'): every certificate names it. Restart meshd with a new --state-dir to change it";
    if (!(next.identity == current.identity))
        return "the identity section (certificate lifetimes) cannot change while meshd runs: "
               "restart meshd to apply it";
    return std::nullopt;
}

std::string summaryOf(const ReloadReport &report)
{
    std::vector<std::string> parts;
    if (!report.servicesAdded.empty())
        parts.push_back("services added: " + joined(report.servicesAdded));
    if (!report.servicesRemoved.empty())
        parts.push_back("services removed: " + joined(report.servicesRemoved));
    if (!report.servicesChanged.empty())
        parts.push_back("policy changed: " + joined(report.servicesChanged));
    if (!report.workloadsStarted.empty())
        parts.push_back("workloads started: " + joined(report.workloadsStarted));
    if (!report.workloadsStopped.empty())
        parts.push_back("workloads stopping: " + joined(report.workloadsStopped));
    if (!report.faultsCleared.empty())
        parts.push_back("faults cleared: " + joined(report.faultsCleared));
    if (report.loadChanged)
        parts.push_back("load generator changed");
    if (report.localUpstreamsChanged)
        parts.push_back("upstream ports for local clients changed");
    if (parts.empty())
        return report.changed ? "nothing that changes traffic" : "no change";
    std::string text;
    for (const auto &part : parts)
        text += (text.empty() ? "" : "; ") + part;
    return text;
}

} // namespace

ConfigReloader::ConfigReloader(std::optional<std::filesystem::path> file,
                               control::MeshConfig config, std::string text, Parts parts)
    : m_file(std::move(file))
    , m_config(std::move(config))
    , m_text(text)
    , m_lastSeen(std::move(text))
    , m_parts(std::move(parts))
{
}

Result<ReloadReport> ConfigReloader::reload(const std::string &trigger)
{
    if (!m_file)
        return makeError(ErrorCode::InvalidArgument,
                         "meshd runs the embedded demo mesh: there is no file to reload (start it "
                         "with --config FILE)");
    auto text = readSmallFile(*m_file, 16 << 20);
    if (!text) {
        m_refusal = text.error().message;
        m_parts.events.add("reload", m_config.name,
                           "reload (" + trigger + ") refused: " + m_refusal);
        return makeError(ErrorCode::Config, m_refusal);
    }
    m_lastSeen = *text;
    return apply(*text, trigger);
}

void ConfigReloader::watch()
{
    if (!m_file)
        return;
    auto text = readSmallFile(*m_file, 16 << 20);
    if (!text || *text == m_lastSeen)
        return; // a file that went away is the config-in-force check's to report
    m_lastSeen = *text;
    if (*text == m_text) {
        m_refusal.clear(); // back to what is in force
        return;
    }
    (void)apply(*text, "file change");
}

Result<ReloadReport> ConfigReloader::apply(const std::string &text, const std::string &trigger)
{
    const auto refuse = [&](const std::string &why) -> Result<ReloadReport> {
        m_refusal = why;
        m_parts.log("configuration refused (" + trigger + "), the one in force stays: " + why);
        m_parts.events.add("reload", m_config.name,
                           "reload (" + trigger
                               + ") refused, the configuration in force stays: " + why);
        return makeError(ErrorCode::Config, why);
    };
    auto next = control::parseMeshConfig(text, m_file->string());
    if (!next)
        return refuse(next.error().message);
    if (auto fixed = fixedWhileRunning(m_config, *next))
        return refuse(m_file->string() + ": " + *fixed);
    auto reconciled = m_parts.dataPlane.reconcile(*next);
    if (!reconciled)
        return refuse(reconciled.error().message);

    ReloadReport report;
    report.changed = text != m_text;
    const auto before = serviceNames(m_config);
    const auto after = serviceNames(*next);
    std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                        std::back_inserter(report.servicesAdded));
    std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                        std::back_inserter(report.servicesRemoved));
    report.servicesChanged = reconciled->changed;
    report.workloadsStarted = reconciled->added;
    report.workloadsStopped = reconciled->removed;
    report.faultsCleared = reconciled->faultsCleared;
    report.loadChanged = !(next->load == m_config.load);
    report.localUpstreamsChanged = next->upstreams != m_config.upstreams;

    // Processes: removed ones leave (after the requests they still have); new ones start.
    for (const auto &pod : reconciled->removed)
        m_parts.supervisor.remove(pod, RemovalDrain, StopGrace);
    for (const auto &workload : reconciled->started)
        m_parts.supervise(workload);

    const control::MeshConfig previous = std::exchange(m_config, std::move(*next));
    m_text = text;
    m_refusal.clear();
    report.summary = summaryOf(report);
    m_parts.log("configuration reloaded (" + trigger + "): " + report.summary);
    m_parts.events.add("reload", m_config.name,
                       "configuration reloaded from " + m_file->string() + " (" + trigger
                           + "): " + report.summary);
    if (m_parts.applied)
        m_parts.applied(previous);
    return report;
}

} // namespace meshcore::daemon
