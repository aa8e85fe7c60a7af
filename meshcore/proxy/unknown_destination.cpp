#include "proxy/unknown_destination.h"

namespace meshcore::proxy {

std::string recordUnknownDestination(const ProxyTelemetry &telemetry,
                                     const telemetry::Labels &callerLabels,
                                     const RequestTarget &target, std::string_view method,
                                     const Destination *destination)
{
    auto &metrics = *telemetry.metrics;
    // A service without replicas has one of a few names (resolve() accepts no more); any other
    // name is the client's choice.
    const std::string name = destination ? target.host : metrics.unknownNames.admit(target.host);
    auto labels = callerLabels;
    labels.emplace_back("authority", name);
    labels.emplace_back("tls", "true");
    RequestSeries series(metrics, std::move(labels));
    // The misconfigured destination shows in the topology too.
    const auto &caller = telemetry.workload;
    series.setEdge(&metrics.traffic.edge({caller.service, caller.ns, caller.version,
                                          caller.identity, name, "", "", "", "default", false}));
    RequestMeter(series).finished(503);
    TapRecord(metrics.tap, caller, target.host, {}, method, target.authority, target.path)
        .answered(503, destination ? "no-replicas" : "unknown-service");
    return destination ? "service '" + target.host + "' has no replicas"
                       : "unknown service '" + target.host + "'";
}

} // namespace meshcore::proxy
