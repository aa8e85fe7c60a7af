#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <string>
#include <unordered_map>

#include "admin/api_types.h"

namespace meshscope::models {

// The traffic history the app has seen, per focus (a service "name.ns", an edge "a.ns>b.ns"), so
// the charts keep it when meshd restarts. A restarted meshd answers its whole window, with empty
// points for the time before it started: those are not "no requests" but "nobody counted", so the
// points the app saw from the meshd before take their place, and time neither saw is left out
// (the charts draw a gap there). Points from meshd's start on are meshd's, the latest answer
// winning (its last point is still filling). Bounded: `keepSeconds` of points per focus and step,
// at most `maxKeys` of them, the least recently merged going first. Plain logic, no clock: times
// come from the histories. Thread: any one at a time (the GUI thread, in ExplorerModels).
class HistoryCache {
public:
    struct Limits {
        std::int64_t keepSeconds = 3600; // meshd keeps an hour
        std::size_t maxKeys = 64;
    };
    explicit HistoryCache(Limits limits);
    HistoryCache();

    // `fresh` as meshd answered it for `key`, with what the app saw before put in where meshd
    // had nothing: the same history (service, step, window) with its points merged by time,
    // oldest first, from `fresh`'s first point to its last. `meshdStartedUnixMs` is
    // VersionInfo::startedAtUnixMs of the meshd that answered; 0 when not known (then every
    // point of `fresh` counts as seen). Points of different steps (10 s, 60 s) are kept apart.
    meshcore::admin::ServiceHistory merged(const std::string &key,
                                           const meshcore::admin::ServiceHistory &fresh,
                                           std::int64_t meshdStartedUnixMs);
    // Forgets everything (the app connected to another meshd: another mesh, other names).
    void clear();

    std::size_t keys() const { return m_entries.size(); }
    // How many points the cache keeps for `key` at `stepSeconds` (for tests).
    std::size_t pointCount(const std::string &key, int stepSeconds) const;

private:
    struct Entry {
        std::string id; // key and step
        std::map<std::int64_t, meshcore::admin::HistoryPoint> points; // by time
    };
    Entry &entry(const std::string &id);
    static std::string idOf(const std::string &key, int stepSeconds);

    Limits m_limits;
    std::list<Entry> m_entries; // the most recently merged first
    std::unordered_map<std::string, std::list<Entry>::iterator> m_index;
};

} // namespace meshscope::models
