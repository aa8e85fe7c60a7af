#pragma once

#include <string>

#include "telemetry/metric_families.h"
#include "telemetry/prometheus_text.h"

namespace meshcore::telemetry {

// The data plane's metrics, with Linkerd's names and labels so the same PromQL works:
// request_total, response_total{classification,status_code}, response_latency_ms (time to the
// response header), tcp_open_total, tcp_close_total, tcp_open_connections, tcp_read_bytes_total,
// tcp_write_bytes_total. Shared by every proxy of one meshd. Thread-safe.
struct ProxyMetrics {
    Family<Counter> requests;
    Family<Counter> responses;
    Family<LatencyHistogram> latency;
    Family<Counter> tcpOpens;
    Family<Counter> tcpCloses;
    Family<Gauge> tcpOpenConnections;
    Family<Counter> tcpReadBytes;
    Family<Counter> tcpWriteBytes;

    void write(PrometheusText &text) const;
};

} // namespace meshcore::telemetry
