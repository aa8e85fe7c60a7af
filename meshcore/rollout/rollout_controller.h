#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "control/rollout_config.h"
#include "core/clock.h"
#include "core/result.h"
#include "rollout/rollout.h"
#include "rollout/traffic_control.h"

namespace meshcore::rollout {

// Every rollout of the mesh: at most one active per service, and the finished ones (the last
// MaxHistoryPerService of each service). Every change is saved to the state file at once
// (atomically), and at least every 10 s while a rollout is active, so a restarted meshd knows
// how fresh its evidence is. Thread: the control thread only (the admin API and housekeeping).
class RolloutController {
public:
    static constexpr std::size_t MaxHistoryPerService = 10;
    static constexpr std::chrono::seconds ConfigStartWait {30};
    // (service's qualified name, sentence): every transition, for the event log.
    using EventSink = std::function<void(const std::string &, const std::string &)>;

    RolloutController(TrafficControl &traffic, const Clock &clock, std::filesystem::path stateFile,
                      EventSink events);

    // Reads the state file (none: no rollouts yet) and resumes or rolls back the active ones
    // (rollout_state_file.cpp). A file that cannot be read is kept aside as
    // "<file>.unreadable" and reported.
    Result<void> load();

    // Starts a rollout of `spec`, whose service and namespace are resolved; an empty `stable`
    // is the version with the most weight now. Refused (changing nothing) when the spec is
    // invalid, the versions are not the service's, or the service has an active rollout.
    Result<RolloutStatus> start(control::RolloutSpec spec, std::string origin);
    Result<RolloutStatus> act(const std::string &service, const std::string &ns, Action action,
                              std::optional<unsigned> weight = std::nullopt);

    // Active ones first, then finished ones, newest first.
    std::vector<RolloutStatus> list() const;
    // The service's active rollout, else its latest finished one.
    std::optional<RolloutStatus> find(const std::string &service, const std::string &ns) const;
    bool hasActive(const std::string &service, const std::string &ns) const;

    // Someone else changed the service's split (PUT /api/v1/split): its rollout pauses.
    void splitChangedByHand(const std::string &service, const std::string &ns,
                            const std::string &how);
    // The rollouts of mesh.yaml (at start and after a reload): each starts unless its service
    // has an active rollout or its latest rollout had this very spec, once both versions are
    // serving (at most ConfigStartWait later).
    void applyConfig(const std::vector<control::RolloutSpec> &specs);
    // Once a second.
    void tick();

    // The last problem saving the state file, or nothing when the last save worked.
    const std::optional<std::string> &saveProblem() const { return m_saveProblem; }
    static constexpr std::size_t MaxStateFile = 64u << 20;

private:
    Rollout *active(const std::string &service, const std::string &ns) const;
    Rollout *latest(const std::string &service, const std::string &ns) const;
    Result<void> resolveVersions(control::RolloutSpec &spec) const;
    bool report(Rollout &rollout); // whether it had new transitions
    void trimHistory();
    void save();
    void startPending();
    // A rollout recovered at start starts its interval over until its versions serve (at most
    // ConfigStartWait); whether it was still warming.
    bool warming(Rollout &rollout);

    TrafficControl &m_traffic;
    const Clock &m_clock;
    const std::filesystem::path m_stateFile;
    EventSink m_events;
    std::vector<std::unique_ptr<Rollout>> m_rollouts; // oldest first
    struct Pending {
        control::RolloutSpec spec;
        TimePoint since;
        bool said = false; // that it waits for an active rollout
    };
    std::vector<Pending> m_pending; // of the configuration, waiting for their versions
    std::vector<control::RolloutSpec> m_configApplied; // the last started per service (saved)
    std::vector<Rollout *> m_warming; // recovered at start, waiting for their versions
    TimePoint m_loadedAt {};
    bool m_saveFailing = false;
    TimePoint m_savedAt {};
    std::optional<std::string> m_saveProblem;
};

} // namespace meshcore::rollout
