#pragma once

#include <utility>

#include <memory>
#include <string>
#include <vector>

#include "ca/certificate_authority.h"
#include "ca/certificate_holder.h"
#include "control/mesh_config.h"
#include "core/address.h"
#include "core/result.h"
#include "proxy/inbound_proxy.h"
#include "proxy/outbound_proxy.h"
#include "proxy/workers.h"
#include "proxy/workload_tls.h"
#include "telemetry/proxy_metrics.h"

namespace meshcore::daemon {

// One workload (a replica of a service version) and its sidecar, as the admin API shows it.
struct WorkloadInfo {
    std::string pod;      // "<service>-<version>-<index>"
    std::string service;
    std::string ns;
    std::string version;
    std::string identity;
    std::uint16_t port = 0; // where the workload itself listens
    Address inbound;        // its inbound proxy (mTLS)
    Address outbound;       // its outbound proxy (its http_proxy)
    std::string certificateSerial;
    std::int64_t certificateNotAfterUnix = 0;
};

// Every sidecar of the mesh: per workload an identity (key, certificate from the CA, renewed), an
// inbound and an outbound proxy; plus the shared outbound for clients outside the mesh, which
// calls with the local identity spiffe://<trust-domain>/ns/meshscope-local/sa/local-client.
// Thread: created (before the workers start) and driven (tick) on the control thread; the proxies
// run on the workers, and stop() runs on the acceptor worker.
class DataPlane {
public:
    static Result<std::unique_ptr<DataPlane>> create(const control::MeshConfig &config, ca::CertificateAuthority &authority,
                                                     proxy::Workers &workers, const Address &localOutbound);
    ~DataPlane();

    // Renews certificates that are due and swaps in new TLS contexts. Cheap when nothing is due.
    void tick();
    void stop();

    std::vector<WorkloadInfo> workloads() const;
    // Every destination service with its traffic policy (thread-safe to use).
    const std::vector<std::shared_ptr<const proxy::Destination>> &destinations() const { return *m_destinations; }
    // "svc" or "svc.ns", as clients name services; null if unknown or ambiguous.
    std::shared_ptr<const proxy::Destination> findDestination(std::string_view name) const;
    const telemetry::ProxyMetrics &metrics() const { return *m_metrics; }
    // Open taps subscribe here; the proxies publish (thread-safe).
    telemetry::TapHub &tap() const { return m_metrics->tap; }
    Address localOutbound() const { return m_localOutbound->localAddress(); }
    std::string localIdentity() const { return m_localTls->identity(); }

private:
    struct Workload;
    DataPlane() = default;

    std::shared_ptr<telemetry::ProxyMetrics> m_metrics;
    std::shared_ptr<const std::vector<std::shared_ptr<const proxy::Destination>>> m_destinations;
    std::vector<std::unique_ptr<Workload>> m_workloads;
    std::unique_ptr<ca::CertificateHolder> m_localHolder;
    std::shared_ptr<proxy::WorkloadTls> m_localTls;
    std::unique_ptr<proxy::OutboundProxy> m_localOutbound;
};

} // namespace meshcore::daemon
