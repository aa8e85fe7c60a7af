#pragma once

#include <utility>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "control/mesh_config.h"
#include "core/clock.h"
#include "proxy/destination.h"

namespace meshcore::proxy {

using Destinations = std::vector<std::shared_ptr<const Destination>>;

// The destinations in force: written on the control thread (start-up, reload, readiness), read by
// every outbound proxy's resolver on the workers. Thread-safe.
class DestinationTable {
public:
    std::shared_ptr<const Destinations> get() const
    {
        return m_destinations.load(std::memory_order_acquire);
    }
    void set(std::shared_ptr<const Destinations> destinations);
    // The table as the calling thread last took it, taken again only after a set(): the proxies'
    // per-request lookup costs one atomic load, not the atomic shared_ptr's lock and two
    // reference counts bouncing between the workers' caches.
    const Destinations &current() const;

private:
    std::atomic<std::shared_ptr<const Destinations>> m_destinations {
        std::make_shared<const Destinations>()};
    std::atomic<std::uint64_t> m_version {1};
    const std::uint64_t m_id = nextId();
    static std::uint64_t nextId();
};

// "web", "web.shop", "web.shop.svc", "web.shop.svc.cluster.local" -> its destination; null if
// unknown or ambiguous (a bare name in two namespaces).
std::shared_ptr<const Destination> resolve(const Destinations &destinations, std::string_view host);

// Whether a balancer built for `before` can serve `after` as it is: same replicas, same settings.
bool sameBalancing(const control::ServiceConfig &before, const control::ServiceConfig &after);

// The replicas of a service that take traffic now, numbered as its balancer will number them.
using EndpointsOf = std::function<std::vector<Endpoint>(const control::ServiceConfig &service)>;

// The one builder of destinations, for start-up (`previous` null) and every reload: one per
// service of `config`, keeping each balancer and retry budget in `before` whose replicas and
// settings did not change since `previous` (its latency estimates, breakers and budget carry on).
// A split set through the API outlives a reload that leaves the file's split alone.
std::shared_ptr<const Destinations> buildDestinations(const control::MeshConfig &config,
                                                      const EndpointsOf &endpointsOf,
                                                      const Destinations &before,
                                                      const control::MeshConfig *previous,
                                                      const Clock &clock);

} // namespace meshcore::proxy
