#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "control/mesh_config.h"
#include "core/clock.h"
#include "core/result.h"
#include "daemon/data_plane.h"

namespace meshcore::daemon {

// A split set at run time (PUT /api/v1/split, a rollout), with the split mesh.yaml had for the
// service then: it is worth restoring only while the file still says that.
struct RememberedSplit {
    std::string service;
    std::string ns;
    std::vector<control::BackendWeight> split;
    std::vector<control::BackendWeight> fileSplit; // the file's `split:` (empty: by replicas)
    std::string by; // "the admin API", "the rollout of api.shop"
    std::int64_t setUnix = 0;
    bool operator==(const RememberedSplit &) const = default;
};

// Why a remembered split is not restored, or nothing when it is: the service is gone from the
// file, or the file's split for it is not the one recorded. The one restore rule, for start-up
// and every reload.
std::optional<std::string> whyNotRestored(const RememberedSplit &remembered,
                                          const control::MeshConfig &config);

// splits.json's text and back (format 1); a text that is not that format is an error.
std::string rememberedSplitsText(const std::vector<RememberedSplit> &splits);
Result<std::vector<RememberedSplit>> rememberedSplitsFromText(const std::string &text);

// The splits set at run time, kept in <state>/splits.json (written atomically at each change) so
// that they outlive a restart of meshd unless mesh.yaml changed the service's split meanwhile.
// A file that cannot be read or written never stops meshd: it is reported (`events`) and meshd
// goes on with the file's splits. Thread: the control thread.
class SplitMemory {
public:
    // (service's qualified name or "splits", sentence): what happened, for the log and events.
    using EventSink = std::function<void(const std::string &, const std::string &)>;

    SplitMemory(const DataPlane &dataPlane, const Clock &clock, std::filesystem::path file,
                EventSink events);

    // At start, before the rollouts: reads the file and sets each remembered split the rule
    // keeps; the others are dropped, saying why. An unreadable file is moved aside
    // ("splits.json.unreadable").
    void restore();
    // After a reload is in force: drops what the file changed, or what no longer applies.
    void reconcile();
    // After `destination`'s split changed at run time: remembers it (or forgets it when it is
    // the file's split again) and saves.
    void remember(const proxy::Destination &destination, const std::string &by);

    // Whether the split in force for the service is the one saved in the state directory.
    bool persisted(const proxy::Destination &destination) const;
    // Whether the split in force for the service differs from the file's.
    bool setAtRunTime(const proxy::Destination &destination) const;
    const std::optional<std::string> &saveProblem() const { return m_saveProblem; }
    const std::filesystem::path &file() const { return m_file; }

private:
    std::vector<RememberedSplit> read();
    void drop(const RememberedSplit &remembered, const std::string &why);
    void save();

    const DataPlane &m_dataPlane;
    const Clock &m_clock; // when a split was set, for people reading the file
    const std::filesystem::path m_file;
    EventSink m_events;
    std::vector<RememberedSplit> m_splits;
    std::optional<std::string> m_saveProblem;
};

} // namespace meshcore::daemon
