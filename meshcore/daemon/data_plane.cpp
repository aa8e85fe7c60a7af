#include "daemon/data_plane.h"

#include "ca/spiffe_id.h"
#include "core/loopback.h"
#include "proxy/tls_contexts.h"

namespace meshcore::daemon {

struct DataPlane::Workload {
    WorkloadInfo info;
    proxy::WorkloadLabels labels;
    std::unique_ptr<ca::CertificateHolder> holder;
    std::shared_ptr<proxy::WorkloadTls> tls;
    std::unique_ptr<proxy::InboundProxy> inbound;
    std::unique_ptr<proxy::OutboundProxy> outbound;
};

namespace {

proxy::Resolver makeResolver(std::shared_ptr<const std::vector<std::shared_ptr<const proxy::Destination>>> destinations)
{
    return [destinations](std::string_view host) -> std::shared_ptr<const proxy::Destination> {
        // "web", "web.shop", and the Kubernetes-style "web.shop.svc.cluster.local".
        auto name = host.substr(0, host.find(".svc"));
        const auto dot = name.find('.');
        const auto wantedName = name.substr(0, dot);
        const auto wantedNs = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
        std::shared_ptr<const proxy::Destination> found;
        for (const auto &destination : *destinations) {
            if (destination->service != wantedName || (!wantedNs.empty() && destination->ns != wantedNs))
                continue;
            if (found)
                return nullptr; // ambiguous
            found = destination;
        }
        return found;
    };
}

Result<void> installCertificate(ca::CertificateHolder &holder, proxy::WorkloadTls &tls)
{
    auto server = proxy::makeServerContext(holder.current(), holder.key());
    auto client = proxy::makeClientContext(holder.current(), holder.key());
    if (!server || !client)
        return tl::unexpected(!server ? server.error() : client.error());
    tls.replace(*server, *client);
    return {};
}

Result<std::unique_ptr<ca::CertificateHolder>> startHolder(ca::CertificateAuthority &authority, const ca::SpiffeId &id,
                                                           proxy::WorkloadTls &tls)
{
    auto holder = ca::CertificateHolder::create(
        id, [&authority, id](const std::string &csr) { return authority.issue(csr, id); }, systemClock());
    if (!holder)
        return tl::unexpected(holder.error());
    (*holder)->poll();
    if (!(*holder)->hasCertificate())
        return makeError(ErrorCode::Config, "cannot get a certificate for " + id.toString() + ": " + (*holder)->lastError());
    if (auto installed = installCertificate(**holder, tls); !installed)
        return tl::unexpected(installed.error());
    return holder;
}

std::int64_t unixSeconds(TimePoint t)
{
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

} // namespace

Result<std::unique_ptr<DataPlane>> DataPlane::create(const control::MeshConfig &config, ca::CertificateAuthority &authority,
                                                     proxy::Workers &workers, const Address &localOutbound)
{
    std::unique_ptr<DataPlane> plane(new DataPlane);
    plane->m_metrics = std::make_shared<telemetry::ProxyMetrics>();
    std::map<std::string, std::vector<proxy::Endpoint>> endpoints; // "name.ns" -> replicas

    // Inbound sides first: outbound resolution needs their addresses.
    for (const auto &service : config.services) {
        const ca::SpiffeId id{config.trustDomain, service.ns, service.name};
        for (const auto &version : service.versions) {
            for (std::size_t i = 0; i < version.replicas.size(); ++i) {
                auto workload = std::make_unique<Workload>();
                auto &info = workload->info;
                info.pod = service.name + "-" + version.name + "-" + std::to_string(i);
                info.service = service.name;
                info.ns = service.ns;
                info.version = version.name;
                info.identity = id.toString();
                info.port = version.replicas[i].port;
                if (info.port == 0) {
                    auto port = freeLoopbackPort();
                    if (!port)
                        return tl::unexpected(port.error());
                    info.port = *port;
                }
                workload->tls = std::make_shared<proxy::WorkloadTls>(info.identity);
                auto holder = startHolder(authority, id, *workload->tls);
                if (!holder)
                    return tl::unexpected(holder.error());
                workload->holder = std::move(*holder);
                workload->labels = {service.ns, service.name + "-" + version.name, info.pod, service.name, version.name, info.identity};
                auto inbound = proxy::InboundProxy::create(workers, {"127.0.0.1", 0}, info.port, workload->tls,
                                                           {plane->m_metrics, workload->labels, service.routes});
                if (!inbound)
                    return tl::unexpected(inbound.error());
                workload->inbound = std::move(*inbound);
                info.inbound = workload->inbound->localAddress();
                endpoints[service.name + "." + service.ns].push_back(
                    proxy::Endpoint{info.inbound, info.identity, version.name, info.pod});
                plane->m_workloads.push_back(std::move(workload));
            }
        }
    }
    auto destinations = std::make_shared<std::vector<std::shared_ptr<const proxy::Destination>>>();
    for (const auto &service : config.services)
        destinations->push_back(proxy::makeDestination(service, endpoints[service.name + "." + service.ns], systemClock()));
    plane->m_destinations = destinations;
    for (auto &workload : plane->m_workloads) {
        auto outbound = proxy::OutboundProxy::create(workers, {"127.0.0.1", 0}, workload->tls, makeResolver(destinations),
                                                     {plane->m_metrics, workload->labels, {}});
        if (!outbound)
            return tl::unexpected(outbound.error());
        workload->outbound = std::move(*outbound);
        workload->info.outbound = workload->outbound->localAddress();
    }

    const ca::SpiffeId local{config.trustDomain, std::string(ca::LocalNamespace), "local-client"};
    plane->m_localTls = std::make_shared<proxy::WorkloadTls>(local.toString());
    auto localHolder = startHolder(authority, local, *plane->m_localTls);
    if (!localHolder)
        return tl::unexpected(localHolder.error());
    plane->m_localHolder = std::move(*localHolder);
    auto outbound = proxy::OutboundProxy::create(workers, localOutbound, plane->m_localTls, makeResolver(destinations),
                                                 {plane->m_metrics,
                                                  {std::string(ca::LocalNamespace), "local-client", "local-client", "local-client", "",
                                                   local.toString()},
                                                  {}});
    if (!outbound)
        return makeError(outbound.error().code, "the outbound proxy for local clients: " + outbound.error().message);
    plane->m_localOutbound = std::move(*outbound);
    return plane;
}

DataPlane::~DataPlane()
{
    stop();
}

void DataPlane::tick()
{
    const auto renew = [](ca::CertificateHolder &holder, proxy::WorkloadTls &tls) {
        const auto before = holder.refreshCount();
        holder.poll();
        if (holder.refreshCount() != before)
            (void)installCertificate(holder, tls);
    };
    for (auto &workload : m_workloads)
        renew(*workload->holder, *workload->tls);
    if (m_localHolder)
        renew(*m_localHolder, *m_localTls);
}

void DataPlane::stop()
{
    for (auto &workload : m_workloads) {
        if (workload->inbound)
            workload->inbound->stop();
        if (workload->outbound)
            workload->outbound->stop();
    }
    if (m_localOutbound)
        m_localOutbound->stop();
}

std::shared_ptr<const proxy::Destination> DataPlane::findDestination(std::string_view name) const
{
    return makeResolver(m_destinations)(name);
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

} // namespace meshcore::daemon
