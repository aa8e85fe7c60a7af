#pragma once

// Layer 2 of the outbound stack: the metric series one request updates, with Linkerd's labels.
// The route's (outbound_http_route_*: its final status, retries, faults), each attempt's replica
// (request_total, response_latency_ms, response_total, and the topology's edge), and the tap.
// Built once per label set and kept by the connection (SeriesCache).

#include <memory>
#include <string>
#include <string_view>

#include "proxy/destination.h"
#include "proxy/proxy_telemetry.h"

namespace meshcore::proxy {

// One client connection's series. Thread: that connection's. `concurrent`: the connection's
// requests run at once (HTTP/2 streams), so no series it handed out is ever let go.
class OutboundSeries {
public:
    OutboundSeries(std::shared_ptr<telemetry::ProxyMetrics> metrics, const WorkloadLabels &caller,
                   bool concurrent = false);

    telemetry::ProxyMetrics &metrics() { return *m_metrics; }
    // The caller's workload labels, direction first.
    const telemetry::Labels &common() const { return m_common; }
    // The route `routeName` of `destination`, called by the name `host`.
    RouteSeries &route(const Destination &destination, const std::string &routeName,
                       const std::string &host);
    // One attempt's: `endpoint` of `destination` on `routeName`, with the topology's edge.
    RequestSeries &endpoint(const Destination &destination, const Endpoint &endpoint,
                            const std::string &routeName, const std::string &host);
    // The labels of what goes to `endpoint` of `destination`, called by the name `host`: the
    // caller's, then authority, tls, server_id and the dst_* labels (Linkerd's outbound set).
    telemetry::Labels towards(const Destination &destination, const Endpoint &endpoint,
                              const std::string &host) const;
    // The topology's TCP edge from the caller to `endpoint` of `destination`.
    telemetry::TcpEdgeStats &tcpEdge(const Destination &destination, const Endpoint &endpoint);
    // The tap's record of one request (costs nothing when nobody taps).
    TapRecord tap(const Destination &destination, std::string_view method,
                  std::string_view authority, std::string_view path);

private:
    std::shared_ptr<telemetry::ProxyMetrics> m_metrics;
    const WorkloadLabels &m_caller;
    telemetry::Labels m_common;
    SeriesCache<RouteSeries> m_routes;
    SeriesCache<RequestSeries> m_endpoints;
};

} // namespace meshcore::proxy
