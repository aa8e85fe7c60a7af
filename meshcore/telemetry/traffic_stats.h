#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace meshcore::telemetry {

// Who called whom, as the admin API's topology and `meshd stat` show it. A source is a mesh
// service version, or the local clients (service "local-client"); a destination is a service
// version, or a name that no service has (meshed = false).
struct EdgeKey {
    std::string srcService;
    std::string srcNs;
    std::string srcVersion;
    std::string srcIdentity;
    std::string dstService;
    std::string dstNs;
    std::string dstVersion;
    std::string dstIdentity;
    std::string route;
    bool meshed = true; // false: the destination is unknown to the mesh

    auto tie() const
    {
        return std::tie(srcService, srcNs, srcVersion, dstService, dstNs, dstVersion, route,
                        meshed);
    }
    bool operator<(const EdgeKey &other) const { return tie() < other.tie(); }
};

// The caller meshd's own analysis traffic comes from (a rollout's, to its candidate): counted in
// the rollout's analysis, left out of the golden metrics of the topology, routes and history.
inline constexpr const char *AnalysisCaller = "rollout-analysis";
inline bool isAnalysisTraffic(const EdgeKey &key)
{
    return key.srcService == AnalysisCaller;
}

// Rate, success and latency percentiles of some requests over a window.
struct TrafficSummary {
    std::uint64_t requests = 0;
    std::uint64_t failures = 0;
    double seconds = 0;
    double rps() const { return seconds > 0 ? static_cast<double>(requests) / seconds : 0; }
    double successRate() const
    {
        return requests ? 1.0 - static_cast<double>(failures) / static_cast<double>(requests) : 1.0;
    }
    double p50Ms = 0;
    double p95Ms = 0;
    double p99Ms = 0;
};

// The requests of one edge, counted per second for the last minute (the sliding window), per 10
// seconds for the last 15 minutes and per minute for the last hour (the charts). Thread-safe;
// record() is cheap.
class EdgeStats {
public:
    static constexpr std::size_t Buckets = 32; // latency: 0.25 ms x 1.5^i, the last unbounded
    static constexpr std::size_t RecentSeconds = 60;
    static constexpr std::size_t HistorySlots = 90; // of 10 s
    static constexpr int HistorySlotSeconds = 10;
    static constexpr std::size_t MinuteSlots = 60; // of 60 s
    static constexpr int MinuteSlotSeconds = 60;

    // What a chart asks for: `points` slots of `stepSeconds` (10 or 60), the last one the slot
    // still filling.
    struct Range {
        int stepSeconds;
        std::size_t points;
        int seconds() const { return stepSeconds * static_cast<int>(points); }
    };
    static constexpr Range FiveMinutes {HistorySlotSeconds, 30};
    static constexpr Range FifteenMinutes {HistorySlotSeconds, HistorySlots};
    static constexpr Range Hour {MinuteSlotSeconds, MinuteSlots};

    struct Counts {
        std::uint32_t requests = 0;
        std::uint32_t failures = 0;
        std::array<std::uint32_t, Buckets> latency {};
        void add(const Counts &other);
        void percentiles(TrafficSummary &summary) const;
    };
    // Every request since the edge was made, never reset: a rollout's interval is the difference
    // of two readings, whatever its length.
    struct Totals {
        std::uint64_t requests = 0;
        std::uint64_t failures = 0;
        std::array<std::uint64_t, Buckets> latency {};
        void add(const Totals &other);
        // What happened between `earlier` and this reading (a reading taken before a restart of
        // the counts gives everything since).
        Counts since(const Totals &earlier) const;
    };
    struct Point {
        std::int64_t unixSeconds = 0; // start of its slot
        TrafficSummary summary;
    };

    void record(std::chrono::system_clock::time_point now, bool success, double latencyMs);
    TrafficSummary summary(std::chrono::system_clock::time_point now,
                           std::chrono::seconds window) const;
    Counts counts(std::chrono::system_clock::time_point now, std::chrono::seconds window) const;
    std::vector<Point> history(std::chrono::system_clock::time_point now,
                               Range range = FifteenMinutes) const;
    Totals totals() const;
    // The raw counts of the slots of history() (for sums over several edges), oldest first.
    std::vector<std::pair<std::int64_t, Counts>>
    historyCounts(std::chrono::system_clock::time_point now, Range range = FifteenMinutes) const;
    // Points of `stepSeconds` from summed counts.
    static std::vector<Point> toPoints(const std::vector<std::pair<std::int64_t, Counts>> &counts,
                                       int stepSeconds = HistorySlotSeconds);

    static std::size_t bucketOf(double latencyMs);
    static double upperBound(std::size_t bucket); // ms; the last is +inf

private:
    struct Second {
        std::int64_t second = -1;
        Counts counts;
    };
    mutable std::mutex m_mutex;
    std::array<Second, RecentSeconds> m_recent {};
    std::array<Second, HistorySlots> m_history {}; // `second` is the slot's start
    std::array<Second, MinuteSlots> m_minutes {}; // likewise
    Totals m_totals;
};

// Every edge the data plane has seen. An edge costs some 30 KiB and is kept for good, so edges to
// unknown destinations (named by clients) are bounded: beyond MaxUnknownEdges a new one is
// counted in its caller's edge to UnknownNames::Other. Edges to services are never refused.
// Thread-safe.
class TrafficStats {
public:
    static constexpr std::size_t MaxUnknownEdges = 1000;

    // The edge's stats, created on first use; the reference stays valid.
    EdgeStats &edge(const EdgeKey &key);
    std::vector<std::pair<EdgeKey, const EdgeStats *>> edges() const;
    // The totals of every meshed edge into one version of a service, whoever called.
    EdgeStats::Totals versionTotals(const std::string &service, const std::string &ns,
                                    const std::string &version) const;

private:
    EdgeStats &findOrAdd(const EdgeKey &key); // with m_mutex held

    mutable std::mutex m_mutex;
    std::map<EdgeKey, std::unique_ptr<EdgeStats>> m_edges;
    std::size_t m_unknownEdges = 0;
};

} // namespace meshcore::telemetry
