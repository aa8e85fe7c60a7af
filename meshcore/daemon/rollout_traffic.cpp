#include "daemon/rollout_traffic.h"

#include "core/loopback.h"
#include "core/service_key.h"

namespace meshcore::daemon {

RolloutTraffic::RolloutTraffic(DataPlane &dataPlane, SplitMemory &splits)
    : m_dataPlane(dataPlane)
    , m_splits(splits)
{
}

RolloutTraffic::~RolloutTraffic() = default;

Result<std::shared_ptr<const proxy::Destination>>
RolloutTraffic::destination(const control::RolloutSpec &spec) const
{
    const auto name = qualifiedName(spec.service, spec.ns);
    auto found = m_dataPlane.findDestination(name);
    if (!found)
        return makeError(ErrorCode::NotFound, "the mesh has no service " + name);
    return found;
}

Result<std::vector<control::BackendWeight>>
RolloutTraffic::split(const control::RolloutSpec &spec) const
{
    auto found = destination(spec);
    if (!found)
        return tl::unexpected(found.error());
    return (*found)->balancer->split();
}

Result<void> RolloutTraffic::setSplit(const control::RolloutSpec &spec,
                                      const std::vector<control::BackendWeight> &split)
{
    auto found = destination(spec);
    if (!found)
        return tl::unexpected(found.error());
    if (auto set = (*found)->balancer->setSplit(split); !set)
        return set;
    m_splits.remember(**found, "the rollout of " + qualifiedName(spec.service, spec.ns));
    return {};
}

void RolloutTraffic::setPins(const control::RolloutSpec &spec,
                             const std::vector<control::VersionPin> &pins)
{
    auto found = destination(spec);
    if (!found)
        return;
    const auto &balancer = *(*found)->balancer;
    const auto now = balancer.pins();
    if (now ? *now == pins : pins.empty())
        return;
    (*found)->balancer->setPins(pins);
}

telemetry::EdgeStats::Totals RolloutTraffic::totals(const control::RolloutSpec &spec,
                                                    const std::string &version) const
{
    return m_dataPlane.metrics().traffic.versionTotals(spec.service, spec.ns, version);
}

bool RolloutTraffic::ejected(const control::RolloutSpec &spec, const std::string &version) const
{
    auto found = destination(spec);
    if (!found)
        return false;
    bool any = false;
    for (const auto &replica : (*found)->balancer->replicas()) {
        if (replica.version != version)
            continue;
        if (replica.state == policy::FailureAccrual::State::Ready)
            return false;
        any = true;
    }
    return any;
}

bool RolloutTraffic::serving(const control::RolloutSpec &spec) const
{
    for (const auto &w : m_dataPlane.workloads())
        if (w.service == spec.service && w.ns == spec.ns
            && (w.version == spec.stable || w.version == spec.candidate)
            && (w.port == 0 || !loopbackPortAccepts(w.port)))
            return false;
    return true;
}

void RolloutTraffic::setAnalysisTraffic(
    const control::RolloutSpec &spec, const std::optional<control::AnalysisTrafficConfig> &traffic)
{
    const auto name = qualifiedName(spec.service, spec.ns);
    const auto running = m_generators.find(name);
    if (!traffic) {
        if (running != m_generators.end())
            m_generators.erase(running); // joins its threads
        return;
    }
    if (running != m_generators.end() && running->second.config == *traffic)
        return;
    control::LoadConfig load;
    load.rate = traffic->rps;
    load.concurrency = traffic->rps >= 20 ? 4 : traffic->rps >= 4 ? 2 : 1;
    for (const auto &path : traffic->paths) {
        load.targets.push_back("http://" + name);
        load.targets.back() += path;
    }
    load.headers.push_back(std::string(control::AnalysisHeader) + ": " + name);
    m_generators[name]
        = {*traffic, std::make_unique<demo::LoadGenerator>(load, m_dataPlane.analysisOutbound())};
}

} // namespace meshcore::daemon
