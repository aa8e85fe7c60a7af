#include "proxy/route_match.h"

#include "core/service_key.h"
#include "proxy/destination.h"

namespace meshcore::proxy {

const control::RouteConfig *findRoute(const std::vector<control::RouteConfig> &routes,
                                      std::string_view method, std::string_view target)
{
    const auto path = target.substr(0, target.find('?'));
    for (const auto &route : routes) {
        if (!route.method.empty() && route.method != method)
            continue;
        if (!route.path.empty() ? path == route.path : path.starts_with(route.pathPrefix))
            return &route;
    }
    return nullptr;
}

std::string routeLabel(const std::vector<control::RouteConfig> &routes, std::string_view method,
                       std::string_view target)
{
    const auto *route = findRoute(routes, method, target);
    return route ? route->name : "default";
}

std::string RouteMatch::where() const
{
    return "route " + name + " of " + qualifiedName(service, ns);
}

RouteMatch matchRoute(const Destination &destination, std::string_view method,
                      std::string_view path)
{
    const auto *route = destination.route(method, path);
    RouteMatch match;
    match.name = route ? route->name : "default";
    match.policy = route ? route->policy.over(destination.policy) : destination.policy;
    match.service = destination.service;
    match.ns = destination.ns;
    return match;
}

} // namespace meshcore::proxy
