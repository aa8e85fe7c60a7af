#include "proxy/proxy_telemetry.h"

#include <linux/tcp.h> // tcp_info with tcpi_bytes_received/acked (glibc's netinet/tcp.h lacks them)
#include <netinet/in.h>
#include <sys/socket.h>

namespace meshcore::proxy {

std::string matchRoute(const std::vector<control::RouteConfig> &routes, std::string_view method, std::string_view target)
{
    const auto path = target.substr(0, target.find('?'));
    for (const auto &route : routes) {
        if (!route.method.empty() && route.method != method)
            continue;
        if (!route.path.empty() ? path == route.path : path.starts_with(route.pathPrefix))
            return route.name;
    }
    return "default";
}

ConnectionMeter::ConnectionMeter(std::shared_ptr<telemetry::ProxyMetrics> metrics, telemetry::Labels labels, int fd)
    : m_metrics(std::move(metrics)), m_labels(std::move(labels)), m_fd(fd)
{
    m_metrics->tcpOpens.with(m_labels).inc();
    m_metrics->tcpOpenConnections.with(m_labels).add(1);
}

ConnectionMeter::~ConnectionMeter()
{
    m_metrics->tcpOpenConnections.with(m_labels).add(-1);
    m_metrics->tcpCloses.with(m_labels).inc();
    tcp_info info{};
    socklen_t length = sizeof info;
    if (::getsockopt(m_fd, IPPROTO_TCP, TCP_INFO, &info, &length) == 0) {
        m_metrics->tcpReadBytes.with(m_labels).inc(info.tcpi_bytes_received);
        m_metrics->tcpWriteBytes.with(m_labels).inc(info.tcpi_bytes_acked);
    }
}

RequestMeter::RequestMeter(telemetry::ProxyMetrics &metrics, telemetry::Labels labels)
    : m_metrics(metrics), m_labels(std::move(labels)), m_start(std::chrono::steady_clock::now())
{
    m_metrics.requests.with(m_labels).inc();
}

void RequestMeter::responseHeaderArrived()
{
    if (m_latencyRecorded)
        return;
    m_latencyRecorded = true;
    const std::chrono::duration<double, std::milli> elapsed = std::chrono::steady_clock::now() - m_start;
    m_metrics.latency.with(m_labels).observe(elapsed.count());
}

void RequestMeter::finished(unsigned status)
{
    responseHeaderArrived();
    auto labels = m_labels;
    labels.emplace_back("classification", status >= 500 ? "failure" : "success");
    labels.emplace_back("status_code", std::to_string(status));
    m_metrics.responses.with(labels).inc();
}

} // namespace meshcore::proxy
