#include "telemetry/tcp_edges.h"

#include <algorithm>

namespace meshcore::telemetry {
namespace {

std::int64_t unixSecond(std::chrono::system_clock::time_point now)
{
    return std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
}

} // namespace

TcpEdgeStats::Second &TcpEdgeStats::slot(std::chrono::system_clock::time_point now)
{
    const auto second = unixSecond(now);
    auto &slot = m_recent[static_cast<std::size_t>(second) % RecentSeconds];
    if (slot.second != second)
        slot = Second {second};
    return slot;
}

void TcpEdgeStats::opened(std::chrono::system_clock::time_point now)
{
    std::lock_guard lock(m_mutex);
    ++m_open;
    ++m_opened;
    ++slot(now).opened;
}

void TcpEdgeStats::closed()
{
    std::lock_guard lock(m_mutex);
    --m_open;
}

void TcpEdgeStats::refused()
{
    std::lock_guard lock(m_mutex);
    ++m_refused;
}

void TcpEdgeStats::carried(std::chrono::system_clock::time_point now, bool fromCaller,
                           std::uint64_t bytes)
{
    std::lock_guard lock(m_mutex);
    auto &second = slot(now);
    (fromCaller ? second.sent : second.received) += bytes;
}

TcpEdgeStats::Figures TcpEdgeStats::figures(std::chrono::system_clock::time_point now,
                                            std::chrono::seconds window) const
{
    const auto seconds = std::clamp<std::int64_t>(window.count(), 1, RecentSeconds);
    const auto last = unixSecond(now);
    std::lock_guard lock(m_mutex);
    Figures figures;
    figures.open = m_open;
    figures.opened = m_opened;
    figures.refused = m_refused;
    std::uint64_t opened = 0;
    std::uint64_t sent = 0;
    std::uint64_t received = 0;
    for (const auto &second : m_recent)
        if (second.second > last - seconds && second.second <= last) {
            opened += second.opened;
            sent += second.sent;
            received += second.received;
        }
    const auto span = static_cast<double>(seconds);
    figures.openedPerSecond = static_cast<double>(opened) / span;
    figures.sentBytesPerSecond = static_cast<double>(sent) / span;
    figures.receivedBytesPerSecond = static_cast<double>(received) / span;
    return figures;
}

TcpEdgeStats &TcpEdges::edge(const EdgeKey &key)
{
    std::lock_guard lock(m_mutex);
    auto &stats = m_edges[key];
    if (!stats)
        stats = std::make_unique<TcpEdgeStats>();
    return *stats;
}

std::vector<std::pair<EdgeKey, const TcpEdgeStats *>> TcpEdges::edges() const
{
    std::lock_guard lock(m_mutex);
    std::vector<std::pair<EdgeKey, const TcpEdgeStats *>> edges;
    edges.reserve(m_edges.size());
    for (const auto &[key, stats] : m_edges)
        edges.emplace_back(key, stats.get());
    return edges;
}

} // namespace meshcore::telemetry
