#include "proxy/destination.h"

#include "proxy/route_match.h"

namespace meshcore::proxy {

const control::RouteConfig *Destination::route(std::string_view method, std::string_view path) const
{
    return findRoute(routes, method, path);
}

std::shared_ptr<const Destination> makeDestination(const control::ServiceConfig &service,
                                                   std::vector<Endpoint> endpoints,
                                                   const Clock &clock)
{
    auto destination = std::make_shared<Destination>();
    destination->service = service.name;
    destination->ns = service.ns;
    destination->routes = service.routes;
    destination->policy = service.policy;
    destination->protocol = service.protocol;
    destination->tcpIdleTimeout = service.tcpIdleTimeout;
    std::vector<policy::ReplicaRef> replicas;
    replicas.reserve(endpoints.size());
    for (const auto &endpoint : endpoints)
        replicas.push_back({endpoint.pod, endpoint.version});
    destination->endpoints = std::move(endpoints);
    destination->balancer
        = std::make_shared<policy::DestinationPolicy>(service, std::move(replicas), clock);
    destination->retryBudget
        = std::make_shared<policy::SharedRetryBudget>(service.retryBudget, clock);
    return destination;
}

} // namespace meshcore::proxy
