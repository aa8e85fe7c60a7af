#include "telemetry/proxy_metrics.h"

namespace meshcore::telemetry {

void ProxyMetrics::write(PrometheusText &text) const
{
    const auto counters = [&text](const Family<Counter> &family, const char *name, const char *help) {
        text.family(name, "counter", help);
        family.forEach([&](const Labels &labels, const Counter &c) { text.sample(name, labels, static_cast<double>(c.value())); });
    };
    counters(requests, "request_total", "Total count of HTTP requests.");
    counters(responses, "response_total", "Total count of HTTP responses.");
    text.family("response_latency_ms", "histogram", "Elapsed times between a request's headers being received and its response's headers being received, in milliseconds.");
    latency.forEach([&](const Labels &labels, const LatencyHistogram &h) { h.write(text, "response_latency_ms", labels); });
    counters(tcpOpens, "tcp_open_total", "Total count of opened connections.");
    counters(tcpCloses, "tcp_close_total", "Total count of closed connections.");
    text.family("tcp_open_connections", "gauge", "Number of currently-open connections.");
    tcpOpenConnections.forEach([&](const Labels &labels, const Gauge &g) { text.sample("tcp_open_connections", labels, static_cast<double>(g.value())); });
    counters(tcpReadBytes, "tcp_read_bytes_total", "Total count of bytes read from peers.");
    counters(tcpWriteBytes, "tcp_write_bytes_total", "Total count of bytes written to peers.");
}

} // namespace meshcore::telemetry
