#pragma once

#include <chrono>
#include <memory>
#include <optional>
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

// Counts one TCP connection (open, close, and its bytes as the kernel counts them) under
// `labels`. Lives as long as the connection, and is destroyed before its socket closes.
class ConnectionMeter {
public:
    ConnectionMeter(std::shared_ptr<telemetry::ProxyMetrics> metrics, telemetry::Labels labels, int fd);
    ~ConnectionMeter();
    ConnectionMeter(const ConnectionMeter &) = delete;
    ConnectionMeter &operator=(const ConnectionMeter &) = delete;

private:
    std::shared_ptr<telemetry::ProxyMetrics> m_metrics;
    telemetry::Labels m_labels;
    telemetry::OpenConnections::Handle m_open;
};

// The metric children that one kind of request updates (one label set: authority, route,
// destination...), looked up once and then reused while a connection keeps sending the same kind,
// which is the common keep-alive case. Thread: one connection's, like the meters that use it.
class RequestSeries {
public:
    RequestSeries(telemetry::ProxyMetrics &metrics, telemetry::Labels labels);
    telemetry::Counter &requests() { return m_requests; }
    telemetry::LatencyHistogram &latency() { return m_latency; }
    telemetry::Counter &responses(unsigned status);

private:
    telemetry::ProxyMetrics &m_metrics;
    telemetry::Labels m_labels;
    telemetry::Counter &m_requests;
    telemetry::LatencyHistogram &m_latency;
    std::vector<std::pair<unsigned, telemetry::Counter *>> m_responses; // by status code
};

// A connection's RequestSeries for the label set it used last, rebuilt only when the key changes.
class SeriesCache {
public:
    // `key` identifies the label set; `labels` makes it, only called on a change.
    template <typename MakeLabels>
    RequestSeries &get(telemetry::ProxyMetrics &metrics, std::string_view key, MakeLabels labels)
    {
        if (!m_series || key != m_key) {
            m_series.emplace(metrics, labels());
            m_key = key;
        }
        return *m_series;
    }

private:
    std::string m_key;
    std::optional<RequestSeries> m_series;
};

// Counts one request and its response: request_total at start, response_latency_ms when the
// response header arrives, response_total when it is done (a proxy error counts as the status
// it answered).
class RequestMeter {
public:
    explicit RequestMeter(RequestSeries &series);
    void responseHeaderArrived();
    void finished(unsigned status);

private:
    RequestSeries &m_series;
    std::chrono::steady_clock::time_point m_start;
    bool m_latencyRecorded = false;
};

} // namespace meshcore::proxy
