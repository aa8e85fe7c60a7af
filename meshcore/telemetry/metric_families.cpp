#include "telemetry/metric_families.h"

#include <algorithm>

namespace meshcore::telemetry {

void LatencyHistogram::observe(double milliseconds)
{
    const auto bucket
        = std::lower_bound(Bounds.begin(), Bounds.end(), milliseconds) - Bounds.begin();
    m_buckets[static_cast<std::size_t>(bucket)].fetch_add(1, std::memory_order_relaxed);
    m_count.fetch_add(1, std::memory_order_relaxed);
    m_sumMicros.fetch_add(static_cast<std::uint64_t>(std::max(0.0, milliseconds) * 1000),
                          std::memory_order_relaxed);
}

void LatencyHistogram::write(PrometheusText &text, const std::string &name,
                             const Labels &labels) const
{
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= Bounds.size(); ++i) {
        cumulative += m_buckets[i].load(std::memory_order_relaxed);
        Labels withLe = labels;
        char bound[32];
        if (i < Bounds.size())
            std::snprintf(bound, sizeof bound, "%g", Bounds[i]);
        else
            std::snprintf(bound, sizeof bound, "+Inf");
        withLe.emplace_back("le", bound);
        text.sample(name + "_bucket", withLe, static_cast<double>(cumulative));
    }
    text.sample(name + "_sum", labels,
                static_cast<double>(m_sumMicros.load(std::memory_order_relaxed)) / 1000.0);
    text.sample(name + "_count", labels,
                static_cast<double>(m_count.load(std::memory_order_relaxed)));
}

} // namespace meshcore::telemetry
