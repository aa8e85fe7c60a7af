#include "telemetry/traffic_stats.h"

#include "telemetry/unknown_names.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace meshcore::telemetry {
namespace {

std::int64_t unixSecond(std::chrono::system_clock::time_point t)
{
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::int64_t floorDiv(std::int64_t a, std::int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

// The slot of `ring` (of slots `step` seconds long) that `second` falls in, emptied first when it
// still holds an older slot; null when it holds a newer one (a request recorded late, or the
// clock stepped back, by more than the ring keeps: it never wipes newer counts).
template <std::size_t N, typename Slot>
Slot *slotOf(std::array<Slot, N> &ring, std::int64_t second, std::int64_t step)
{
    const auto start = floorDiv(second, step) * step;
    auto &slot
        = ring[static_cast<std::size_t>(floorDiv(second, step) % static_cast<std::int64_t>(N))];
    if (slot.second > start)
        return nullptr;
    if (slot.second != start)
        slot = Slot {start, {}};
    return &slot;
}

} // namespace

std::size_t EdgeStats::bucketOf(double latencyMs)
{
    std::size_t bucket = 0;
    while (bucket + 1 < Buckets && latencyMs > upperBound(bucket))
        ++bucket;
    return bucket;
}

double EdgeStats::upperBound(std::size_t bucket)
{
    if (bucket + 1 >= Buckets)
        return std::numeric_limits<double>::infinity();
    return 0.25 * std::pow(1.5, static_cast<double>(bucket));
}

void EdgeStats::Counts::add(const Counts &other)
{
    requests += other.requests;
    failures += other.failures;
    for (std::size_t i = 0; i < Buckets; ++i)
        latency[i] += other.latency[i];
}

void EdgeStats::Counts::percentiles(TrafficSummary &summary) const
{
    // As Prometheus' histogram_quantile: find the bucket, interpolate linearly inside it.
    const auto quantile = [&](double q) {
        if (requests == 0)
            return 0.0;
        const double rank = q * requests;
        double seen = 0;
        for (std::size_t i = 0; i < Buckets; ++i) {
            if (seen + latency[i] >= rank && latency[i] > 0) {
                const double lower = i == 0 ? 0 : upperBound(i - 1);
                const double upper = i + 1 >= Buckets ? lower * 1.5 : upperBound(i);
                return lower + (upper - lower) * (rank - seen) / latency[i];
            }
            seen += latency[i];
        }
        return upperBound(Buckets - 2);
    };
    summary.p50Ms = quantile(0.50);
    summary.p95Ms = quantile(0.95);
    summary.p99Ms = quantile(0.99);
}

void EdgeStats::record(std::chrono::system_clock::time_point now, bool success, double latencyMs)
{
    const auto second = unixSecond(now);
    const auto bucket = bucketOf(latencyMs);
    std::lock_guard lock(m_mutex);
    for (auto *slot : {slotOf(m_recent, second, 1), slotOf(m_history, second, HistorySlotSeconds),
                       slotOf(m_minutes, second, MinuteSlotSeconds)}) {
        if (!slot)
            continue;
        ++slot->counts.requests;
        slot->counts.failures += success ? 0 : 1;
        ++slot->counts.latency[bucket];
    }
    ++m_totals.requests;
    m_totals.failures += success ? 0 : 1;
    ++m_totals.latency[bucket];
}

EdgeStats::Totals EdgeStats::totals() const
{
    std::lock_guard lock(m_mutex);
    return m_totals;
}

void EdgeStats::Totals::add(const Totals &other)
{
    requests += other.requests;
    failures += other.failures;
    for (std::size_t i = 0; i < Buckets; ++i)
        latency[i] += other.latency[i];
}

EdgeStats::Counts EdgeStats::Totals::since(const Totals &earlier) const
{
    const bool restarted = earlier.requests > requests;
    const auto delta = [restarted](std::uint64_t now, std::uint64_t then) {
        const auto d = restarted || then > now ? now : now - then;
        return static_cast<std::uint32_t>(
            std::min<std::uint64_t>(d, std::numeric_limits<std::uint32_t>::max()));
    };
    Counts counts;
    counts.requests = delta(requests, earlier.requests);
    counts.failures = std::min(delta(failures, earlier.failures), counts.requests);
    for (std::size_t i = 0; i < Buckets; ++i)
        counts.latency[i] = delta(latency[i], earlier.latency[i]);
    return counts;
}

EdgeStats::Counts EdgeStats::counts(std::chrono::system_clock::time_point now,
                                    std::chrono::seconds window) const
{
    // The window ends with the last whole second: the current one is still filling.
    const auto last = unixSecond(now) - 1;
    const auto first = last - window.count() + 1;
    Counts total;
    std::lock_guard lock(m_mutex);
    for (const auto &second : m_recent)
        if (second.second >= first && second.second <= last)
            total.add(second.counts);
    return total;
}

TrafficSummary EdgeStats::summary(std::chrono::system_clock::time_point now,
                                  std::chrono::seconds window) const
{
    const auto total = counts(now, window);
    TrafficSummary summary;
    summary.requests = total.requests;
    summary.failures = total.failures;
    summary.seconds = static_cast<double>(window.count());
    total.percentiles(summary);
    return summary;
}

std::vector<std::pair<std::int64_t, EdgeStats::Counts>>
EdgeStats::historyCounts(std::chrono::system_clock::time_point now, Range range) const
{
    const bool minutes = range.stepSeconds == MinuteSlotSeconds;
    const std::int64_t step = minutes ? MinuteSlotSeconds : HistorySlotSeconds;
    const auto points
        = static_cast<std::int64_t>(std::min(range.points, minutes ? MinuteSlots : HistorySlots));
    const auto current = floorDiv(unixSecond(now), step) * step;
    std::vector<std::pair<std::int64_t, Counts>> out;
    std::lock_guard lock(m_mutex);
    for (std::int64_t start = current - (points - 1) * step; start <= current; start += step) {
        const auto index = floorDiv(start, step);
        const auto &slot = minutes
            ? m_minutes[static_cast<std::size_t>(index % static_cast<std::int64_t>(MinuteSlots))]
            : m_history[static_cast<std::size_t>(index % static_cast<std::int64_t>(HistorySlots))];
        out.emplace_back(start, slot.second == start ? slot.counts : Counts {});
    }
    return out;
}

std::vector<EdgeStats::Point>
EdgeStats::toPoints(const std::vector<std::pair<std::int64_t, Counts>> &counts, int stepSeconds)
{
    std::vector<Point> points;
    for (const auto &[start, c] : counts) {
        Point point {start, {}};
        point.summary.seconds = stepSeconds;
        point.summary.requests = c.requests;
        point.summary.failures = c.failures;
        c.percentiles(point.summary);
        points.push_back(point);
    }
    return points;
}

std::vector<EdgeStats::Point> EdgeStats::history(std::chrono::system_clock::time_point now,
                                                 Range range) const
{
    return toPoints(historyCounts(now, range), range.stepSeconds);
}

EdgeStats &TrafficStats::edge(const EdgeKey &key)
{
    std::lock_guard lock(m_mutex);
    if (!key.meshed && m_unknownEdges >= MaxUnknownEdges && !m_edges.contains(key)) {
        EdgeKey other = key;
        other.dstService = UnknownNames::Other;
        other.dstNs.clear();
        other.dstVersion.clear();
        other.dstIdentity.clear();
        return findOrAdd(other);
    }
    return findOrAdd(key);
}

EdgeStats &TrafficStats::findOrAdd(const EdgeKey &key)
{
    auto &slot = m_edges[key];
    if (!slot) {
        slot = std::make_unique<EdgeStats>();
        m_unknownEdges += key.meshed ? 0 : 1;
    }
    return *slot;
}

EdgeStats::Totals TrafficStats::versionTotals(const std::string &service, const std::string &ns,
                                              const std::string &version) const
{
    EdgeStats::Totals sum;
    std::lock_guard lock(m_mutex);
    for (const auto &[key, stats] : m_edges)
        if (key.meshed && key.dstService == service && key.dstNs == ns && key.dstVersion == version)
            sum.add(stats->totals());
    return sum;
}

std::vector<std::pair<EdgeKey, const EdgeStats *>> TrafficStats::edges() const
{
    std::lock_guard lock(m_mutex);
    std::vector<std::pair<EdgeKey, const EdgeStats *>> out;
    for (const auto &[key, stats] : m_edges)
        out.emplace_back(key, stats.get());
    return out;
}

} // namespace meshcore::telemetry
