#include "proxy/outbound_metrics.h"

namespace meshcore::proxy {

OutboundSeries::OutboundSeries(std::shared_ptr<telemetry::ProxyMetrics> metrics,
                               const WorkloadLabels &caller, bool concurrent)
    : m_metrics(std::move(metrics))
    , m_caller(caller)
    , m_common {{"direction", "outbound"},
                {"namespace", caller.ns},
                {"deployment", caller.deployment},
                {"pod", caller.pod}}
    , m_routes(concurrent)
    , m_endpoints(concurrent)
{
}

RouteSeries &OutboundSeries::route(const Destination &destination, const std::string &routeName,
                                   const std::string &host)
{
    return m_routes.get(*m_metrics, host + '\n' + routeName, [&] {
        auto labels = m_common;
        labels.erase(labels.begin()); // no "direction": these are outbound by name
        labels.emplace_back("parent_namespace", destination.ns);
        labels.emplace_back("parent_name", destination.service);
        labels.emplace_back("route_name", routeName);
        return labels;
    });
}

telemetry::Labels OutboundSeries::towards(const Destination &destination, const Endpoint &endpoint,
                                          const std::string &host) const
{
    auto labels = m_common;
    labels.emplace_back("authority", host);
    labels.emplace_back("tls", "true");
    labels.emplace_back("server_id", endpoint.identity);
    labels.emplace_back("dst_namespace", destination.ns);
    labels.emplace_back("dst_service", destination.service);
    labels.emplace_back("dst_deployment", destination.service + "-" + endpoint.version);
    labels.emplace_back("dst_pod", endpoint.pod);
    labels.emplace_back("dst_serviceaccount", destination.service);
    return labels;
}

RequestSeries &OutboundSeries::endpoint(const Destination &destination, const Endpoint &endpoint,
                                        const std::string &routeName, const std::string &host)
{
    auto &series = m_endpoints.get(*m_metrics, host + '\n' + endpoint.pod + '\n' + routeName, [&] {
        auto labels = towards(destination, endpoint, host);
        labels.emplace_back("route", routeName);
        return labels;
    });
    if (!series.edge())
        series.setEdge(
            &m_metrics->traffic.edge({m_caller.service, m_caller.ns, m_caller.version,
                                      m_caller.identity, destination.service, destination.ns,
                                      endpoint.version, endpoint.identity, routeName, true}));
    return series;
}

telemetry::TcpEdgeStats &OutboundSeries::tcpEdge(const Destination &destination,
                                                 const Endpoint &endpoint)
{
    return m_metrics->tcpEdges.edge({m_caller.service, m_caller.ns, m_caller.version,
                                     m_caller.identity, destination.service, destination.ns,
                                     endpoint.version, endpoint.identity, "", true});
}

TapRecord OutboundSeries::tap(const Destination &destination, std::string_view method,
                              std::string_view authority, std::string_view path)
{
    return TapRecord(m_metrics->tap, m_caller, destination.service, destination.ns, method,
                     authority, path);
}

} // namespace meshcore::proxy
