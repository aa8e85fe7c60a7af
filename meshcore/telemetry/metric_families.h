#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "telemetry/prometheus_text.h"

namespace meshcore::telemetry {

// A monotonically increasing count. Thread-safe.
class Counter {
public:
    void inc(std::uint64_t n = 1) { m_value.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> m_value {0};
};

// A value that goes up and down. Thread-safe.
class Gauge {
public:
    void add(std::int64_t n) { m_value.fetch_add(n, std::memory_order_relaxed); }
    std::int64_t value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<std::int64_t> m_value {0};
};

// Latency in milliseconds with Linkerd's response_latency_ms buckets. Thread-safe.
class LatencyHistogram {
public:
    static constexpr std::array<double, 25> Bounds
        = {1,   2,   3,    4,    5,    10,   20,   30,    40,    50,    100,   200,  300,
           400, 500, 1000, 2000, 3000, 4000, 5000, 10000, 20000, 30000, 40000, 50000};
    void observe(double milliseconds);
    void write(PrometheusText &text, const std::string &name, const Labels &labels) const;

private:
    std::array<std::atomic<std::uint64_t>, Bounds.size() + 1> m_buckets {}; // last: +Inf
    std::atomic<std::uint64_t> m_count {0};
    std::atomic<std::uint64_t> m_sumMicros {0};
};

// One metric name with a child per label set; children live as long as the family, so callers
// may keep references. At most MaxChildren label sets: beyond that, updates go to an unexported
// overflow child (label cardinality is capped, docs/reliability.md).
template <typename Metric> class Family {
public:
    static constexpr std::size_t MaxChildren = 10000;

    Metric &with(const Labels &labels)
    {
        std::lock_guard lock(m_mutex);
        const auto it = m_children.find(labels);
        if (it != m_children.end())
            return *it->second;
        if (m_children.size() >= MaxChildren)
            return m_overflow;
        return *m_children.emplace(labels, std::make_unique<Metric>()).first->second;
    }

    template <typename Visit> void forEach(Visit visit) const
    {
        std::lock_guard lock(m_mutex);
        for (const auto &[labels, metric] : m_children)
            visit(labels, *metric);
    }

private:
    mutable std::mutex m_mutex;
    std::map<Labels, std::unique_ptr<Metric>> m_children;
    Metric m_overflow;
};

} // namespace meshcore::telemetry
