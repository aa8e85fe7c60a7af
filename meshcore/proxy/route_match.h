#pragma once

// Layer 1 of the outbound stack: which route of its destination a request takes, and so which
// policy applies to it. Also the inbound side's route label.

#include <string>
#include <string_view>
#include <vector>

#include "control/mesh_config.h"

namespace meshcore::proxy {

struct Destination;

// The first route matching `method` and `target`'s path (its query ignored), or null.
const control::RouteConfig *findRoute(const std::vector<control::RouteConfig> &routes,
                                      std::string_view method, std::string_view target);
// Its name, or "default".
std::string routeLabel(const std::vector<control::RouteConfig> &routes, std::string_view method,
                       std::string_view target);

// The route an outbound request takes.
struct RouteMatch {
    std::string name; // the route's, or "default"
    control::RequestPolicy policy; // the route's, its gaps filled from the destination's
    std::string_view service; // the destination's name and namespace (it outlives the request)
    std::string_view ns;

    // "route search of api.shop", for the proxy's error messages.
    std::string where() const;
};
RouteMatch matchRoute(const Destination &destination, std::string_view method,
                      std::string_view path);

} // namespace meshcore::proxy
