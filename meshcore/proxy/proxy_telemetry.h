#pragma once

#include <atomic>
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
    std::string service; // for the topology: the caller's service, version and identity
    std::string version;
    std::string identity;
};

// A service's routes, replaced as a whole when the configuration is reloaded. Thread-safe.
class RouteTable {
public:
    explicit RouteTable(std::vector<control::RouteConfig> routes = {}) { set(std::move(routes)); }
    std::shared_ptr<const std::vector<control::RouteConfig>> get() const
    {
        return m_routes.load(std::memory_order_acquire);
    }
    void set(std::vector<control::RouteConfig> routes)
    {
        m_routes.store(std::make_shared<const std::vector<control::RouteConfig>>(std::move(routes)),
                       std::memory_order_release);
        m_version.fetch_add(1, std::memory_order_release);
    }
    // Changes with every set(): a connection keeps its copy until it moves on (one relaxed load
    // per request instead of the atomic shared_ptr's lock).
    std::uint64_t version() const { return m_version.load(std::memory_order_acquire); }

private:
    std::atomic<std::shared_ptr<const std::vector<control::RouteConfig>>> m_routes;
    std::atomic<std::uint64_t> m_version {0};
};

struct ProxyTelemetry {
    std::shared_ptr<telemetry::ProxyMetrics> metrics;
    WorkloadLabels workload;
    std::shared_ptr<RouteTable> routes; // inbound: the workload's own service's routes
};

// The `authority` label of a request with this Host header: the host without the port. The mesh
// routes by name alone, so a port would only multiply a service's label sets (one per port a
// client cares to write).
std::string_view authorityLabel(std::string_view hostHeader);

// Counts one TCP connection (open, close, how long it lived, and its bytes as the kernel counts
// them) under `labels`. Lives as long as the connection, and is destroyed before its socket closes.
class ConnectionMeter {
public:
    ConnectionMeter(std::shared_ptr<telemetry::ProxyMetrics> metrics, telemetry::Labels labels,
                    int fd);
    ~ConnectionMeter();
    ConnectionMeter(const ConnectionMeter &) = delete;
    ConnectionMeter &operator=(const ConnectionMeter &) = delete;
    // The errno name of the socket error that ends the connection (tcp_close_total's `errno`,
    // "" by default: closed cleanly).
    void closedWith(std::string errnoName) { m_errno = std::move(errnoName); }

private:
    std::shared_ptr<telemetry::ProxyMetrics> m_metrics;
    telemetry::Labels m_labels;
    std::string m_errno;
    std::chrono::steady_clock::time_point m_opened = std::chrono::steady_clock::now();
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
    // Where finished requests are also recorded for the topology (outbound only).
    telemetry::EdgeStats *edge() const { return m_edge; }
    void setEdge(telemetry::EdgeStats *edge) { m_edge = edge; }

private:
    telemetry::ProxyMetrics &m_metrics;
    telemetry::Labels m_labels;
    telemetry::EdgeStats *m_edge = nullptr;
    telemetry::Counter &m_requests;
    telemetry::LatencyHistogram &m_latency;
    std::vector<std::pair<unsigned, telemetry::Counter *>> m_responses; // by status code
};

// The outbound_http_route_* children of one route of one destination, for one caller: the final
// status of each request after retries, retries, injected faults. Thread: one connection's.
class RouteSeries {
public:
    RouteSeries(telemetry::ProxyMetrics &metrics, telemetry::Labels labels);
    // `error`: what the proxy answered itself ("timeout", "unavailable", "fault", ...), or "".
    telemetry::Counter &status(unsigned status, std::string_view error);
    telemetry::Counter &retries() { return counter(m_retries, m_metrics.retryRequests); }
    telemetry::Counter &retrySuccesses()
    {
        return counter(m_retrySuccesses, m_metrics.retrySuccesses);
    }
    telemetry::Counter &retryOverflow()
    {
        return counter(m_retryOverflow, m_metrics.retryOverflow);
    }
    telemetry::Counter &retryLimitExceeded()
    {
        return counter(m_retryLimitExceeded, m_metrics.retryLimitExceeded);
    }
    telemetry::Counter &faultInjected(std::string_view kind);

private:
    telemetry::Counter &counter(telemetry::Counter *&cached,
                                telemetry::Family<telemetry::Counter> &family);

    telemetry::ProxyMetrics &m_metrics;
    telemetry::Labels m_labels;
    std::vector<std::pair<std::string, telemetry::Counter *>> m_statuses; // by "status error"
    telemetry::Counter *m_retries = nullptr;
    telemetry::Counter *m_retrySuccesses = nullptr;
    telemetry::Counter *m_retryOverflow = nullptr;
    telemetry::Counter *m_retryLimitExceeded = nullptr;
};

// A connection's series (RequestSeries or RouteSeries) for the label sets it used lately, each
// built once; a keep-alive connection alternating between replicas finds them all here. One
// request at a time holds a series: a full cache starts over. An HTTP/2 connection's streams hold
// theirs at once, so its cache is made `kept`: it never lets one go (its label sets are bounded
// by the configuration: destinations, their routes and replicas).
template <typename Series> class SeriesCache {
public:
    static constexpr std::size_t MaxEntries = 16;
    explicit SeriesCache(bool kept = false)
        : m_kept(kept)
    {
    }

    // `key` identifies the label set; `labels` makes it, only called for a new key.
    template <typename MakeLabels>
    Series &get(telemetry::ProxyMetrics &metrics, std::string_view key, MakeLabels labels)
    {
        for (auto &entry : m_entries)
            if (entry.first == key)
                return *entry.second;
        if (m_entries.size() >= MaxEntries && !m_kept)
            m_entries.clear(); // children live in the families: only the shortcuts go
        m_entries.emplace_back(std::string(key), std::make_unique<Series>(metrics, labels()));
        return *m_entries.back().second;
    }

private:
    std::vector<std::pair<std::string, std::unique_ptr<Series>>> m_entries;
    bool m_kept;
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
    double m_latencyMs = 0;
};

// One request for the live tap, published when it ends however it ends (an answer, a proxy error,
// a timeout). Costs nothing when nobody taps: the hub is asked once, at the start.
// Thread: one connection's.
class TapRecord {
public:
    // `destinationNs` empty: `destinationService` is a name no service has, as it was called.
    TapRecord(telemetry::TapHub &hub, const WorkloadLabels &caller,
              std::string_view destinationService, std::string_view destinationNs,
              std::string_view method, std::string_view authority, std::string_view path);
    ~TapRecord();
    TapRecord(const TapRecord &) = delete;
    TapRecord &operator=(const TapRecord &) = delete;

    void route(const std::string &name);
    // The replica this attempt went to, over mTLS with `identity`.
    void via(const std::string &pod, const std::string &identity);
    void retried();
    // How it ended; `error` names what the proxy answered itself ("timeout", "unavailable"...).
    void answered(unsigned status, std::string_view error = {});

private:
    telemetry::TapHub &m_hub;
    std::optional<telemetry::TapEvent> m_event; // empty when nobody taps
    std::chrono::steady_clock::time_point m_start;
};

} // namespace meshcore::proxy
