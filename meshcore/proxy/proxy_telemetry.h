#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "control/mesh_config.h"
#include "telemetry/proxy_metrics.h"

namespace meshcore::proxy {

// Who a proxy works for, as Linkerd's workload labels: namespace, deployment (a service
// version, "<service>-<version>"), pod ("<service>-<version>-<index>").
struct WorkloadLabels {
    std::string ns;
    std::string deployment;
    std::string pod;
};

struct ProxyTelemetry {
    std::shared_ptr<telemetry::ProxyMetrics> metrics;
    WorkloadLabels workload;
    std::vector<control::RouteConfig> routes; // inbound: the workload's own service's routes
};

// The name of the first route matching, or "default".
std::string matchRoute(const std::vector<control::RouteConfig> &routes, std::string_view method, std::string_view target);

// Counts one TCP connection (open, close, bytes from the kernel's TCP_INFO at close) under
// `labels`. Lives as long as the connection.
class ConnectionMeter {
public:
    ConnectionMeter(std::shared_ptr<telemetry::ProxyMetrics> metrics, telemetry::Labels labels, int fd);
    ~ConnectionMeter();
    ConnectionMeter(const ConnectionMeter &) = delete;
    ConnectionMeter &operator=(const ConnectionMeter &) = delete;

private:
    std::shared_ptr<telemetry::ProxyMetrics> m_metrics;
    telemetry::Labels m_labels;
    int m_fd;
};

// Counts one request and its response: request_total at start, response_latency_ms when the
// response header arrives, response_total when it is done (a proxy error counts as the status
// it answered).
class RequestMeter {
public:
    RequestMeter(telemetry::ProxyMetrics &metrics, telemetry::Labels labels);
    void responseHeaderArrived();
    void finished(unsigned status);

private:
    telemetry::ProxyMetrics &m_metrics;
    telemetry::Labels m_labels;
    std::chrono::steady_clock::time_point m_start;
    bool m_latencyRecorded = false;
};

} // namespace meshcore::proxy
