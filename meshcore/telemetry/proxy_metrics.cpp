#include "telemetry/proxy_metrics.h"

#include <linux/tcp.h> // tcp_info with tcpi_bytes_received/acked (glibc's netinet/tcp.h lacks them)
#include <netinet/in.h>
#include <sys/socket.h>

namespace meshcore::telemetry {

OpenConnections::Handle OpenConnections::add(int fd, Counter &read, Counter &written)
{
    std::lock_guard lock(m_mutex);
    m_entries.push_front(Entry {fd, &read, &written});
    return m_entries.begin();
}

void OpenConnections::remove(Handle handle)
{
    std::lock_guard lock(m_mutex);
    fold(*handle);
    m_entries.erase(handle);
}

void OpenConnections::collect() const
{
    std::lock_guard lock(m_mutex);
    for (auto &entry : m_entries)
        fold(entry);
}

void OpenConnections::fold(Entry &entry)
{
    tcp_info info {};
    socklen_t length = sizeof info;
    if (::getsockopt(entry.fd, IPPROTO_TCP, TCP_INFO, &info, &length) != 0)
        return;
    if (info.tcpi_bytes_received > entry.readSeen) {
        entry.read->inc(info.tcpi_bytes_received - entry.readSeen);
        entry.readSeen = info.tcpi_bytes_received;
    }
    if (info.tcpi_bytes_acked > entry.writtenSeen) {
        entry.written->inc(info.tcpi_bytes_acked - entry.writtenSeen);
        entry.writtenSeen = info.tcpi_bytes_acked;
    }
}

void ProxyMetrics::write(PrometheusText &text) const
{
    openConnections.collect();
    const auto counters
        = [&text](const Family<Counter> &family, const char *name, const char *help) {
              text.family(name, "counter", help);
              family.forEach([&](const Labels &labels, const Counter &c) {
                  text.sample(name, labels, static_cast<double>(c.value()));
              });
          };
    counters(requests, "request_total", "Total count of HTTP requests.");
    counters(responses, "response_total", "Total count of HTTP responses.");
    text.family("response_latency_ms", "histogram",
                "Elapsed times between a request's headers being received and its response's "
                "headers being received, in milliseconds.");
    latency.forEach([&](const Labels &labels, const LatencyHistogram &h) {
        h.write(text, "response_latency_ms", labels);
    });
    counters(tcpOpens, "tcp_open_total", "Total count of opened connections.");
    counters(tcpCloses, "tcp_close_total", "Total count of closed connections.");
    text.family("tcp_connection_duration_ms", "histogram",
                "Connection lifetimes, from open to close, in milliseconds.");
    tcpDuration.forEach([&](const Labels &labels, const LatencyHistogram &h) {
        h.write(text, "tcp_connection_duration_ms", labels);
    });
    text.family("tcp_open_connections", "gauge", "Number of currently-open connections.");
    tcpOpenConnections.forEach([&](const Labels &labels, const Gauge &g) {
        text.sample("tcp_open_connections", labels, static_cast<double>(g.value()));
    });
    counters(tcpReadBytes, "tcp_read_bytes_total", "Total count of bytes read from peers.");
    counters(tcpWriteBytes, "tcp_write_bytes_total", "Total count of bytes written to peers.");
    counters(routeStatuses, "outbound_http_route_request_statuses_total",
             "Requests to a route by final status after retries; error names what the proxy "
             "answered itself.");
    counters(retryRequests, "outbound_http_route_retry_requests_total", "Retries sent.");
    counters(retrySuccesses, "outbound_http_route_retry_successes_total",
             "Requests that succeeded after a retry.");
    counters(retryOverflow, "outbound_http_route_retry_overflow_total",
             "Retries not sent because the retry budget was exhausted.");
    counters(retryLimitExceeded, "outbound_http_route_retry_limit_exceeded_total",
             "Requests still failing after their last allowed retry.");
    counters(faultInjections, "outbound_http_route_fault_injections_total",
             "Faults injected by configuration, by kind (abort, delay).");
    counters(inboundFaultInjections, "inbound_http_fault_injections_total",
             "Faults injected at run time into a service version, at its replicas' inbound "
             "proxies, by kind (abort, delay).");
}

} // namespace meshcore::telemetry
