#pragma once

// Who holds opaque TCP connections to whom, for the topology: per edge (caller version to callee
// version, as EdgeKey with no route), the connections open now, those opened and refused in all,
// and the bytes each way per second over the last minute. Thread-safe: the data plane's workers
// write, the admin API reads.

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "telemetry/traffic_stats.h"

namespace meshcore::telemetry {

class TcpEdgeStats {
public:
    static constexpr std::size_t RecentSeconds = 60;

    struct Figures {
        std::int64_t open = 0; // connections open now
        std::uint64_t opened = 0; // since the edge was made
        std::uint64_t refused = 0; // connect failures, likewise
        double openedPerSecond = 0; // over the window
        double sentBytesPerSecond = 0; // caller to callee, over the window
        double receivedBytesPerSecond = 0; // callee to caller
    };

    void opened(std::chrono::system_clock::time_point now);
    void closed();
    void refused();
    // `bytes` relayed, from the caller (`fromCaller`) or to it.
    void carried(std::chrono::system_clock::time_point now, bool fromCaller, std::uint64_t bytes);
    // The figures over the last `window` (at most a minute).
    Figures figures(std::chrono::system_clock::time_point now, std::chrono::seconds window) const;

private:
    struct Second {
        std::int64_t second = -1;
        std::uint64_t opened = 0;
        std::uint64_t sent = 0;
        std::uint64_t received = 0;
    };
    Second &slot(std::chrono::system_clock::time_point now); // with m_mutex held

    mutable std::mutex m_mutex;
    std::array<Second, RecentSeconds> m_recent {};
    std::int64_t m_open = 0;
    std::uint64_t m_opened = 0;
    std::uint64_t m_refused = 0;
};

// Every TCP edge seen; an edge is kept for good (TCP goes to services only, so they are bounded
// by the mesh's size).
class TcpEdges {
public:
    TcpEdgeStats &edge(const EdgeKey &key); // the reference stays valid
    std::vector<std::pair<EdgeKey, const TcpEdgeStats *>> edges() const;

private:
    mutable std::mutex m_mutex;
    std::map<EdgeKey, std::unique_ptr<TcpEdgeStats>> m_edges;
};

} // namespace meshcore::telemetry
