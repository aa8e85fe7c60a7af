#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "control/mesh_config.h"
#include "control/supervisor.h"
#include "core/event_log.h"
#include "core/result.h"
#include "daemon/data_plane.h"

namespace meshcore::daemon {

// What a reload did, for the caller and the event log.
struct ReloadReport {
    bool changed = false; // false: the file says what is already in force
    std::vector<std::string> servicesAdded;
    std::vector<std::string> servicesRemoved;
    std::vector<std::string> servicesChanged; // policy, routes or split
    std::vector<std::string> workloadsStarted;
    std::vector<std::string> workloadsStopped;
    std::vector<std::string> faultsCleared; // runtime faults of versions the file removed
    bool loadChanged = false;
    bool localUpstreamsChanged = false; // the top-level `upstreams`
    std::string summary; // one line
};

// The configuration in force, and how it changes while meshd runs: `meshd reload`, POST
// /api/v1/reload, or the file changing on disk (watched once a second). A valid file is applied
// without dropping a request in flight (DataPlane::reconcile); an invalid one is refused with its
// file:line:column and everything stays as it was. The trust domain and identity lifetimes are
// fixed while meshd runs (the CA and every certificate depend on them).
// Thread: the control thread's.
class ConfigReloader {
public:
    struct Parts {
        DataPlane &dataPlane;
        control::Supervisor &supervisor;
        EventLog &events;
        std::function<void(const std::string &)> log;
        // Starts the supervised process of a workload that has a command.
        std::function<void(const WorkloadInfo &)> supervise;
        // Called after a change is in force, with the configuration before it.
        std::function<void(const control::MeshConfig &before)> applied;
    };

    ConfigReloader(std::optional<std::filesystem::path> file, control::MeshConfig config,
                   std::string text, Parts parts);

    const control::MeshConfig &config() const { return m_config; }
    const std::optional<std::filesystem::path> &file() const { return m_file; }
    const std::string &textInForce() const { return m_text; }
    // Why the file on disk was refused last, or "" when it is in force.
    const std::string &refusal() const { return m_refusal; }

    // Reads the file and applies it; `trigger` says who asked ("meshd reload", "file change").
    Result<ReloadReport> reload(const std::string &trigger);
    // Once a second: reloads when the file's content changed since it was last read.
    void watch();

private:
    Result<ReloadReport> apply(const std::string &text, const std::string &trigger);

    std::optional<std::filesystem::path> m_file;
    control::MeshConfig m_config;
    std::string m_text; // the file's text in force
    std::string m_lastSeen; // what the watch read last
    std::string m_refusal;
    Parts m_parts;
};

} // namespace meshcore::daemon
