#pragma once

#include <utility>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "control/mesh_config.h"
#include "core/address.h"
#include "core/clock.h"
#include "policy/destination_policy.h"
#include "policy/retry_budget.h"

namespace meshcore::proxy {

// One replica of a destination service, as the outbound side reaches it.
struct Endpoint {
    Address inbound; // its inbound proxy (mTLS)
    std::string identity; // the identity its certificate must carry
    std::string version;
    std::string pod;
};

// A destination service and its traffic policy. Immutable but for `balancer` and `retryBudget`,
// which are thread-safe; shared by every outbound proxy of a meshd. The split is inside the
// balancer (it picks a version, then a replica of it), so it lives there.
struct Destination {
    std::string service;
    std::string ns;
    std::vector<Endpoint> endpoints; // numbered as `balancer` numbers them
    std::vector<control::RouteConfig> routes; // route label and per-route policy
    control::RequestPolicy policy; // for requests matching no route
    control::Protocol protocol = control::Protocol::Detect;
    std::chrono::seconds tcpIdleTimeout {3600};
    std::shared_ptr<policy::DestinationPolicy> balancer;
    std::shared_ptr<policy::SharedRetryBudget> retryBudget;

    // The first route matching `method` and `path`, or null (the request takes `policy`).
    const control::RouteConfig *route(std::string_view method, std::string_view path) const;
};

// A Destination for `service` with its replicas' `endpoints`, its balancer and budget on `clock`.
std::shared_ptr<const Destination> makeDestination(const control::ServiceConfig &service,
                                                   std::vector<Endpoint> endpoints,
                                                   const Clock &clock);

// Resolves a request's host ("web", "web.shop", "web:80") to a service, or null. Called on
// data-plane threads: it must be thread-safe (it reads an immutable snapshot).
using Resolver = std::function<std::shared_ptr<const Destination>(std::string_view host)>;

} // namespace meshcore::proxy
