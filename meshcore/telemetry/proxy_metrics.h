#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <string>

#include "telemetry/metric_families.h"
#include "telemetry/prometheus_text.h"
#include "telemetry/tap.h"
#include "telemetry/tcp_edges.h"
#include "telemetry/traffic_stats.h"
#include "telemetry/unknown_names.h"

namespace meshcore::telemetry {

// The byte counters of open TCP connections, kept up to date from the kernel's own counts
// (TCP_INFO) at every scrape and at close, so tcp_read_bytes_total and tcp_write_bytes_total move
// while long-lived pooled connections stay open. Thread-safe.
class OpenConnections {
public:
    struct Entry {
        int fd = -1;
        Counter *read = nullptr;
        Counter *written = nullptr;
        std::uint64_t readSeen = 0;
        std::uint64_t writtenSeen = 0;
    };
    using Handle = std::list<Entry>::iterator;

    // `fd` must stay open until remove().
    Handle add(int fd, Counter &read, Counter &written);
    void remove(Handle handle); // counts what is left
    void collect() const; // counts what moved since the last time

private:
    static void fold(Entry &entry);
    mutable std::mutex m_mutex;
    mutable std::list<Entry> m_entries;
};

// The data plane's metrics, with Linkerd's names and labels so the same PromQL works:
// request_total, response_total{classification,status_code}, response_latency_ms (time to the
// response header), tcp_open_total, tcp_close_total, tcp_connection_duration_ms,
// tcp_open_connections, tcp_read_bytes_total, tcp_write_bytes_total. Shared by every proxy of one
// meshd. Thread-safe.
struct ProxyMetrics {
    Family<Counter> requests;
    Family<Counter> responses;
    Family<LatencyHistogram> latency;
    Family<Counter> tcpOpens;
    Family<Counter> tcpCloses;
    Family<LatencyHistogram> tcpDuration; // tcp_connection_duration_ms, at close
    Family<Gauge> tcpOpenConnections;
    Family<Counter> tcpReadBytes;
    Family<Counter> tcpWriteBytes;
    OpenConnections openConnections;

    // Per route of a destination, as Linkerd's newer outbound_http_route_* metrics: the final
    // status of each request (after retries), retries, and injected faults.
    Family<Counter> routeStatuses;
    Family<Counter> retryRequests;
    Family<Counter> retrySuccesses;
    Family<Counter> retryOverflow; // a retry the budget refused
    Family<Counter> retryLimitExceeded; // failed after its last allowed retry
    Family<Counter> faultInjections;
    Family<Counter> inboundFaultInjections; // runtime faults of a version (proxy/inbound_fault.h)

    // Who called whom, how often, how well: the admin API's topology (not exported here).
    TrafficStats traffic;
    TcpEdges tcpEdges; // likewise for opaque TCP connections
    // The names called that no service has, kept by name up to a bound (the rest as "other").
    UnknownNames unknownNames;
    // Finished requests, for the live tap (`meshd tap`, GET /api/v1/tap).
    TapHub tap;

    void write(PrometheusText &text) const;
};

} // namespace meshcore::telemetry
