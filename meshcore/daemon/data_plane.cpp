#include "daemon/data_plane.h"
#include "core/service_key.h"
#include "daemon/data_plane_workload.h"

#include <algorithm>
#include <map>

#include "ca/spiffe_id.h"
#include "core/loopback.h"
#include "proxy/tls_contexts.h"

namespace meshcore::daemon {

namespace {

// How long a replica added by a reload may take to listen before it gets traffic anyway.
constexpr auto ReadinessTimeout = std::chrono::seconds(10);

Result<void> installCertificate(ca::CertificateHolder &holder, proxy::WorkloadTls &tls)
{
    auto server = proxy::makeServerContext(holder.current(), holder.key());
    auto client = proxy::makeClientContext(holder.current(), holder.key());
    if (!server || !client)
        return tl::unexpected(!server ? server.error() : client.error());
    tls.replace(*server, *client);
    return {};
}

Result<std::unique_ptr<ca::CertificateHolder>> startHolder(ca::CertificateAuthority &authority,
                                                           const ca::SpiffeId &id,
                                                           proxy::WorkloadTls &tls,
                                                           const Clock &clock)
{
    auto holder = ca::CertificateHolder::create(
        id, [&authority, id](const std::string &csr) { return authority.issue(csr, id); }, clock);
    if (!holder)
        return tl::unexpected(holder.error());
    (*holder)->poll();
    if (!(*holder)->hasCertificate())
        return makeError(ErrorCode::Config,
                         "cannot get a certificate for " + id.toString() + ": "
                             + (*holder)->lastError());
    if (auto installed = installCertificate(**holder, tls); !installed)
        return tl::unexpected(installed.error());
    return holder;
}

std::int64_t unixSeconds(TimePoint t)
{
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

bool sameUpstreams(const std::vector<UpstreamBinding> &bound,
                   const std::vector<control::UpstreamConfig> &wanted)
{
    return std::equal(bound.begin(), bound.end(), wanted.begin(), wanted.end(),
                      [](const auto &b, const auto &w) { return b.config == w; });
}

std::string podName(const control::ServiceConfig &service, const control::VersionConfig &version,
                    std::size_t index)
{
    return service.name + "-" + version.name + "-" + std::to_string(index);
}

std::string serviceKey(const std::string &name, const std::string &ns)
{
    return qualifiedName(name, ns);
}

// Pods are named <service>-<version>-<index>; the same service name may live in two namespaces.
std::string workloadKey(const std::string &ns, const std::string &pod)
{
    return ns + "/" + pod;
}

} // namespace

Result<std::unique_ptr<DataPlane::Workload>>
DataPlane::makeWorkload(const control::ServiceConfig &service,
                        const control::VersionConfig &version, std::size_t index)
{
    const ca::SpiffeId id {m_config.trustDomain, service.ns, service.name};
    auto workload = std::make_unique<Workload>();
    auto &info = workload->info;
    info.pod = podName(service, version, index);
    info.service = service.name;
    info.ns = service.ns;
    info.version = version.name;
    info.identity = id.toString();
    info.replica = version.replicas[index];
    info.port = info.replica.port;
    if (info.port == 0) {
        auto port = freeLoopbackPort();
        if (!port)
            return tl::unexpected(port.error());
        info.port = *port;
    }
    workload->createdAt = m_clock.now();
    workload->tls = std::make_shared<proxy::WorkloadTls>(info.identity);
    auto holder = startHolder(m_authority, id, *workload->tls, m_clock);
    if (!holder)
        return tl::unexpected(holder.error());
    workload->holder = std::move(*holder);
    workload->labels
        = {service.ns,   service.name + "-" + version.name, info.pod, service.name, version.name,
           info.identity};
    workload->routes = std::make_shared<proxy::RouteTable>(service.routes);
    auto inbound = proxy::InboundProxy::create(
        m_workers, {"127.0.0.1", 0}, info.port, workload->tls,
        {m_metrics, workload->labels, workload->routes},
        m_faults->switchFor({service.name, service.ns, version.name}));
    if (!inbound)
        return tl::unexpected(inbound.error());
    workload->inbound = std::move(*inbound);
    info.inbound = workload->inbound->localAddress();
    auto outbound = proxy::OutboundProxy::create(
        m_workers, {"127.0.0.1", 0}, workload->tls,
        [table = m_table](std::string_view host) { return proxy::resolve(table->current(), host); },
        {m_metrics, workload->labels, nullptr});
    if (!outbound)
        return tl::unexpected(outbound.error());
    workload->outbound = std::move(*outbound);
    info.outbound = workload->outbound->localAddress();
    if (auto bound = bindUpstreams(*workload, service); !bound) {
        workload->stop();
        return tl::unexpected(bound.error());
    }
    return workload;
}

Result<std::unique_ptr<DataPlane>>
DataPlane::create(const control::MeshConfig &config, ca::CertificateAuthority &authority,
                  proxy::Workers &workers, const Address &localOutbound, const Clock &clock)
{
    std::unique_ptr<DataPlane> plane(new DataPlane(authority, workers, clock));
    plane->m_config = config;
    plane->m_metrics = std::make_shared<telemetry::ProxyMetrics>();
    plane->m_table = std::make_shared<proxy::DestinationTable>();
    for (const auto &service : config.services)
        for (const auto &version : service.versions)
            for (std::size_t i = 0; i < version.replicas.size(); ++i) {
                auto workload = plane->makeWorkload(service, version, i);
                if (!workload)
                    return tl::unexpected(workload.error());
                plane->m_workloads.push_back(std::move(*workload));
            }
    plane->publishDestinations(nullptr);

    const ca::SpiffeId local {config.trustDomain, std::string(ca::LocalNamespace), "local-client"};
    plane->m_localTls = std::make_shared<proxy::WorkloadTls>(local.toString());
    auto localHolder = startHolder(authority, local, *plane->m_localTls, clock);
    if (!localHolder)
        return tl::unexpected(localHolder.error());
    plane->m_localHolder = std::move(*localHolder);
    auto outbound
        = proxy::OutboundProxy::create(workers, localOutbound, plane->m_localTls,
                                       [table = plane->m_table](std::string_view host) {
                                           return proxy::resolve(table->current(), host);
                                       },
                                       {plane->m_metrics,
                                        {std::string(ca::LocalNamespace), "local-client",
                                         "local-client", "local-client", "", local.toString()},
                                        nullptr});
    if (!outbound)
        return makeError(outbound.error().code,
                         "the outbound proxy for local clients: " + outbound.error().message);
    plane->m_localOutbound = std::move(*outbound);
    auto upstreams = plane->reconcileLocalUpstreams(config.upstreams);
    if (!upstreams)
        return tl::unexpected(upstreams.error());
    (*upstreams)();
    auto analysis = proxy::OutboundProxy::create(
        workers, Address {"127.0.0.1", 0}, plane->m_localTls,
        [table = plane->m_table](std::string_view host) {
            return proxy::resolve(table->current(), host);
        },
        {plane->m_metrics,
         {std::string(ca::LocalNamespace), telemetry::AnalysisCaller, telemetry::AnalysisCaller,
          telemetry::AnalysisCaller, "", local.toString()},
         nullptr});
    if (!analysis)
        return makeError(analysis.error().code,
                         "the outbound proxy for rollout analysis: " + analysis.error().message);
    plane->m_analysisOutbound = std::move(*analysis);
    return plane;
}

DataPlane::DataPlane(ca::CertificateAuthority &authority, proxy::Workers &workers,
                     const Clock &clock)
    : m_authority(authority)
    , m_workers(workers)
    , m_clock(clock)
{
}

DataPlane::~DataPlane()
{
    stop();
}

void DataPlane::publishDestinations(const control::MeshConfig *previous)
{
    const auto endpointsOf = [this](const control::ServiceConfig &service) {
        std::vector<proxy::Endpoint> endpoints;
        for (const auto &w : m_workloads)
            if (w->info.ready && w->info.service == service.name && w->info.ns == service.ns)
                endpoints.push_back(
                    {w->info.inbound, w->info.identity, w->info.version, w->info.pod});
        return endpoints;
    };
    m_table->set(
        proxy::buildDestinations(m_config, endpointsOf, *m_table->get(), previous, m_clock));
}

Result<Reconciled> DataPlane::reconcile(const control::MeshConfig &next)
{
    std::map<std::string, Workload *> existing; // by workloadKey
    for (const auto &w : m_workloads)
        existing[workloadKey(w->info.ns, w->info.pod)] = w.get();

    // First what can fail: sidecars for new and changed replicas. Nothing is in force yet.
    const control::MeshConfig previous = std::exchange(m_config, next);
    std::vector<std::unique_ptr<Workload>> kept;
    std::vector<std::unique_ptr<Workload>> fresh;
    std::map<std::string, bool> keep; // by workloadKey
    const auto undo = [&](Error error) -> Result<Reconciled> {
        for (auto &w : fresh)
            w->stop();
        m_retired.insert(m_retired.end(), std::make_move_iterator(fresh.begin()),
                         std::make_move_iterator(fresh.end()));
        m_config = previous;
        return tl::unexpected(std::move(error));
    };
    for (const auto &service : next.services)
        for (const auto &version : service.versions)
            for (std::size_t i = 0; i < version.replicas.size(); ++i) {
                const auto key = workloadKey(service.ns, podName(service, version, i));
                const auto found = existing.find(key);
                Workload *old = found == existing.end() ? nullptr : found->second;
                if (old && old->info.replica == version.replicas[i]
                    && sameUpstreams(old->info.upstreams, service.upstreams)) {
                    keep[key] = true;
                    continue;
                }
                auto workload = makeWorkload(service, version, i);
                if (!workload)
                    return undo(workload.error());
                (*workload)->info.ready = false; // until its port accepts connections
                fresh.push_back(std::move(*workload));
            }

    auto localUpstreams = reconcileLocalUpstreams(next.upstreams);
    if (!localUpstreams)
        return undo(localUpstreams.error());

    // Then the change, which cannot fail.
    Reconciled result;
    for (auto &w : fresh) // first: the list's step stops the old list's ports
        takeUpstreams(*w);
    (*localUpstreams)();
    for (auto &w : m_workloads) {
        if (keep.contains(workloadKey(w->info.ns, w->info.pod))) {
            if (const auto *service = next.findService(serviceKey(w->info.service, w->info.ns)))
                w->routes->set(service->routes);
            kept.push_back(std::move(w));
        } else {
            w->stop();
            result.removed.push_back(w->info.pod);
            m_retired.push_back(std::move(w));
        }
    }
    for (auto &w : fresh) {
        result.added.push_back(w->info.pod);
        result.started.push_back(w->info);
        kept.push_back(std::move(w));
    }
    m_workloads = std::move(kept);
    result.faultsCleared = clearRemovedVersionsFaults(next);
    for (const auto &service : next.services) {
        const auto *before = previous.findService(serviceKey(service.name, service.ns));
        if (before
            && (before->routes != service.routes || before->policy != service.policy
                || before->split != service.split || !proxy::sameBalancing(*before, service)))
            result.changed.push_back(serviceKey(service.name, service.ns));
    }
    publishDestinations(&previous);
    return result;
}

std::vector<std::string> DataPlane::clearRemovedVersionsFaults(const control::MeshConfig &next)
{
    const auto cleared = m_faults->clearUnless([&next](const proxy::VersionKey &key) {
        const auto *service = next.findService(serviceKey(key.service, key.ns));
        return service
            && std::any_of(service->versions.begin(), service->versions.end(),
                           [&key](const auto &version) { return version.name == key.version; });
    });
    std::vector<std::string> names;
    names.reserve(cleared.size());
    for (const auto &key : cleared)
        names.push_back(key.version + " of " + serviceKey(key.service, key.ns));
    return names;
}

void DataPlane::tick()
{
    const auto renew = [](ca::CertificateHolder &holder, proxy::WorkloadTls &tls) {
        const auto before = holder.refreshCount();
        holder.poll();
        if (holder.refreshCount() != before)
            (void)installCertificate(holder, tls);
    };
    bool becameReady = false;
    const auto now = m_clock.now();
    for (auto &workload : m_workloads) {
        renew(*workload->holder, *workload->tls);
        if (!workload->info.ready
            && (loopbackPortAccepts(workload->info.port)
                || now - workload->createdAt >= ReadinessTimeout)) {
            workload->info.ready = true;
            becameReady = true;
        }
    }
    if (m_localHolder)
        renew(*m_localHolder, *m_localTls);
    if (becameReady)
        publishDestinations(&m_config);
}

void DataPlane::stop()
{
    for (auto &workload : m_workloads)
        workload->stop();
    for (auto &workload : m_retired)
        workload->stop();
    if (m_localOutbound)
        m_localOutbound->stop();
    for (const auto &upstream : m_localUpstreams)
        if (upstream.port)
            upstream.port->stop();
    if (m_analysisOutbound)
        m_analysisOutbound->stop();
}

std::shared_ptr<const Destinations> DataPlane::destinations() const
{
    return m_table->get();
}

std::shared_ptr<const proxy::Destination> DataPlane::findDestination(std::string_view name) const
{
    return proxy::resolve(*m_table->get(), name);
}

std::vector<WorkloadInfo> DataPlane::workloads() const
{
    std::vector<WorkloadInfo> out;
    for (const auto &workload : m_workloads) {
        WorkloadInfo info = workload->info;
        if (workload->holder->hasCertificate()) {
            info.certificateSerial = workload->holder->current().leaf.serialHex();
            info.certificateNotAfterUnix = unixSeconds(workload->holder->current().leaf.notAfter());
        }
        out.push_back(std::move(info));
    }
    return out;
}

std::set<std::string> DataPlane::certificateSerials() const
{
    std::set<std::string> serials;
    for (const auto &workload : m_workloads)
        if (workload->holder->hasCertificate())
            serials.insert(workload->holder->current().leaf.serialHex());
    if (m_localHolder && m_localHolder->hasCertificate())
        serials.insert(m_localHolder->current().leaf.serialHex());
    return serials;
}

} // namespace meshcore::daemon
