#include "proxy/destination_table.h"

#include <algorithm>
#include <map>
#include <string>

#include "core/service_key.h"

namespace meshcore::proxy {

void DestinationTable::set(std::shared_ptr<const Destinations> destinations)
{
    m_destinations.store(std::move(destinations), std::memory_order_release);
    m_version.fetch_add(1, std::memory_order_release);
}

const Destinations &DestinationTable::current() const
{
    thread_local std::uint64_t table = 0; // an id, not an address: a new table may reuse one
    thread_local std::uint64_t version = 0;
    thread_local std::shared_ptr<const Destinations> snapshot;
    const auto now = m_version.load(std::memory_order_acquire);
    if (table != m_id || version != now || !snapshot) {
        snapshot = get();
        table = m_id;
        version = now;
    }
    return *snapshot;
}

std::uint64_t DestinationTable::nextId()
{
    static std::atomic<std::uint64_t> last {0};
    return ++last;
}

std::shared_ptr<const Destination> resolve(const Destinations &destinations, std::string_view host)
{
    // "web", "web.shop", and the Kubernetes-style "web.shop.svc" and "web.shop.svc.cluster.local";
    // no other name, so a service's metrics have a few authority label values, not one per name.
    auto name = host;
    for (const std::string_view suffix : {".svc.cluster.local", ".svc"})
        if (name.ends_with(suffix)) {
            name.remove_suffix(suffix.size());
            break;
        }
    const auto dot = name.find('.');
    const auto wantedName = name.substr(0, dot);
    const auto wantedNs = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
    std::shared_ptr<const Destination> found;
    for (const auto &destination : destinations) {
        if (destination->service != wantedName
            || (!wantedNs.empty() && destination->ns != wantedNs))
            continue;
        if (found)
            return nullptr; // ambiguous
        found = destination;
    }
    return found;
}

bool sameBalancing(const control::ServiceConfig &before, const control::ServiceConfig &after)
{
    const auto names = [](const control::ServiceConfig &service) {
        std::vector<std::string> out;
        for (const auto &version : service.versions)
            out.push_back(version.name);
        return out;
    };
    // A balancer numbers the versions it was built with: a version added or gone needs a new one.
    return before.balancer == after.balancer && before.failureAccrual == after.failureAccrual
        && before.retryBudget == after.retryBudget && names(before) == names(after);
}

namespace {

// `service`'s destination, built again from `was` (built from `wasService`).
std::shared_ptr<const Destination> rebuild(const control::ServiceConfig &service,
                                           std::vector<Endpoint> endpoints, const Destination &was,
                                           const control::ServiceConfig &wasService,
                                           const Clock &clock)
{
    const bool sameReplicas
        = std::equal(endpoints.begin(), endpoints.end(), was.endpoints.begin(), was.endpoints.end(),
                     [](const Endpoint &a, const Endpoint &b) {
                         return a.pod == b.pod && a.inbound == b.inbound;
                     });
    const bool splitEdited = wasService.split != service.split;
    const bool splitSetAtRunTime = was.balancer->split() != wasService.effectiveSplit();
    if (!sameReplicas || !sameBalancing(wasService, service)) {
        auto fresh = makeDestination(service, std::move(endpoints), clock);
        if (splitSetAtRunTime && !splitEdited)
            (void)fresh->balancer->setSplit(was.balancer->split());
        if (const auto pins = was.balancer->pins()) // a rollout's, set at run time too
            fresh->balancer->setPins(*pins);
        return fresh;
    }
    auto destination = std::make_shared<Destination>();
    destination->service = service.name;
    destination->ns = service.ns;
    destination->routes = service.routes;
    destination->policy = service.policy;
    destination->endpoints = std::move(endpoints);
    destination->balancer = was.balancer; // its latency estimates and breakers carry on
    destination->retryBudget = was.retryBudget;
    if (splitEdited
        || (!splitSetAtRunTime && wasService.effectiveSplit() != service.effectiveSplit()))
        (void)destination->balancer->setSplit(service.effectiveSplit());
    return destination;
}

} // namespace

std::shared_ptr<const Destinations> buildDestinations(const control::MeshConfig &config,
                                                      const EndpointsOf &endpointsOf,
                                                      const Destinations &before,
                                                      const control::MeshConfig *previous,
                                                      const Clock &clock)
{
    std::map<std::string, const Destination *> old;
    for (const auto &destination : before)
        old[qualifiedName(destination->service, destination->ns)] = destination.get();
    auto next = std::make_shared<Destinations>();
    for (const auto &service : config.services) {
        const auto key = qualifiedName(service.name, service.ns);
        const auto was = old.find(key);
        const control::ServiceConfig *wasService = previous ? previous->findService(key) : nullptr;
        if (was == old.end() || !wasService)
            next->push_back(makeDestination(service, endpointsOf(service), clock));
        else
            next->push_back(
                rebuild(service, endpointsOf(service), *was->second, *wasService, clock));
    }
    return next;
}

} // namespace meshcore::proxy
