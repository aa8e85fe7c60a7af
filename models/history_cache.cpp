#include "models/history_cache.h"

#include <algorithm>

namespace meshscope::models {

namespace {

// The step of a history that does not say it: the smallest distance between its points.
int stepOf(const meshcore::admin::ServiceHistory &history)
{
    if (history.stepSeconds > 0)
        return history.stepSeconds;
    std::int64_t step = 0;
    for (std::size_t i = 1; i < history.points.size(); ++i) {
        const auto gap = history.points[i].timeUnix - history.points[i - 1].timeUnix;
        if (gap > 0 && (step == 0 || gap < step))
            step = gap;
    }
    return step > 0 ? static_cast<int>(step) : 10;
}

} // namespace

HistoryCache::HistoryCache(Limits limits)
    : m_limits(limits)
{
}

HistoryCache::HistoryCache()
    : HistoryCache(Limits {})
{
}

std::string HistoryCache::idOf(const std::string &key, int stepSeconds)
{
    return key + "@" + std::to_string(stepSeconds);
}

HistoryCache::Entry &HistoryCache::entry(const std::string &id)
{
    if (const auto found = m_index.find(id); found != m_index.end()) {
        m_entries.splice(m_entries.begin(), m_entries, found->second);
        return m_entries.front();
    }
    m_entries.push_front(Entry {id, {}});
    m_index[id] = m_entries.begin();
    while (m_entries.size() > std::max<std::size_t>(m_limits.maxKeys, 1)) {
        m_index.erase(m_entries.back().id);
        m_entries.pop_back();
    }
    return m_entries.front();
}

meshcore::admin::ServiceHistory HistoryCache::merged(const std::string &key,
                                                     const meshcore::admin::ServiceHistory &fresh,
                                                     std::int64_t meshdStartedUnixMs)
{
    if (fresh.points.empty())
        return fresh;
    const int step = stepOf(fresh);
    auto &points = entry(idOf(key, step)).points;
    // A slot that ended before meshd started is not meshd's: it holds nothing it counted.
    const std::int64_t started = meshdStartedUnixMs / 1000;
    for (const auto &point : fresh.points)
        if (meshdStartedUnixMs <= 0 || point.timeUnix + step > started)
            points[point.timeUnix] = point;
    const std::int64_t newest = points.rbegin()->first;
    points.erase(points.begin(), points.lower_bound(newest - m_limits.keepSeconds + 1));

    meshcore::admin::ServiceHistory out = fresh;
    out.points.clear();
    const auto first = fresh.points.front().timeUnix;
    const auto last = fresh.points.back().timeUnix;
    for (auto it = points.lower_bound(first); it != points.end() && it->first <= last; ++it)
        out.points.push_back(it->second);
    return out;
}

void HistoryCache::clear()
{
    m_entries.clear();
    m_index.clear();
}

std::size_t HistoryCache::pointCount(const std::string &key, int stepSeconds) const
{
    const auto found = m_index.find(idOf(key, stepSeconds));
    return found == m_index.end() ? 0 : found->second->points.size();
}

} // namespace meshscope::models
