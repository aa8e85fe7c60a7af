#pragma once

#include <utility>

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ca/certificate_authority.h"
#include "ca/certificate_holder.h"
#include "control/mesh_config.h"
#include "core/address.h"
#include "core/clock.h"
#include "core/result.h"
#include "proxy/destination_table.h"
#include "proxy/inbound_proxy.h"
#include "proxy/outbound_proxy.h"
#include "proxy/version_faults.h"
#include "proxy/workers.h"
#include "proxy/workload_tls.h"
#include "telemetry/proxy_metrics.h"

namespace meshcore::daemon {

// An `upstreams` entry as bound: its service reached at `address`, told to the process in `env`.
struct UpstreamBinding {
    control::UpstreamConfig config; // as configured (port 0 for `auto`)
    Address address; // where it listens
    bool operator==(const UpstreamBinding &) const = default;
};

// One workload (a replica of a service version) and its sidecar, as the admin API shows it.
struct WorkloadInfo {
    std::string pod; // "<service>-<version>-<index>"
    std::string service;
    std::string ns;
    std::string version;
    std::string identity;
    std::uint16_t port = 0; // where the workload itself listens
    Address inbound; // its inbound proxy (mTLS)
    Address outbound; // its outbound proxy (its http_proxy)
    std::string certificateSerial;
    std::int64_t certificateNotAfterUnix = 0;
    bool ready = true; // in its service's balancer (a replica added by a reload waits for its port)
    control::ReplicaConfig replica; // as configured (port 0 for `auto`)
    std::vector<UpstreamBinding> upstreams; // its service's upstreams, bound by its sidecar
};

using Destinations = proxy::Destinations;

// What a reload changed in the data plane.
struct Reconciled {
    std::vector<std::string> added; // pods with a new sidecar
    std::vector<WorkloadInfo> started; // those workloads (their processes must start)
    std::vector<std::string> removed; // pods whose sidecar stopped (their processes must stop)
    std::vector<std::string> changed; // services whose policy, routes or split changed in place
    std::vector<std::string> faultsCleared; // "v2 of api.shop": removed versions' runtime faults
};

// Every sidecar of the mesh: per workload an identity (key, certificate from the CA, renewed), an
// inbound and an outbound proxy; plus the shared outbound for clients outside the mesh, which
// calls with the local identity spiffe://<trust-domain>/ns/meshscope-local/sa/local-client.
// Thread: created, driven (tick, reconcile) and read (workloads) on the control thread; the proxies
// run on the workers and read the destinations through an atomic snapshot.
class DataPlane {
public:
    static Result<std::unique_ptr<DataPlane>>
    create(const control::MeshConfig &config, ca::CertificateAuthority &authority,
           proxy::Workers &workers, const Address &localOutbound, const Clock &clock);
    ~DataPlane();

    // Renews certificates that are due and swaps in new TLS contexts; puts replicas added by a
    // reload into their balancers once their port accepts connections (or after 10 s). Cheap when
    // nothing is due.
    void tick();
    void stop();

    // Brings the sidecars and destinations to `next`: new replicas get sidecars, removed ones
    // leave the balancers at once (requests in flight finish; their sidecars stop listening), and
    // policy changes apply to the next request. A replica whose port, command or environment
    // changed is replaced. The split set through the API stays unless `next` changes the split;
    // a runtime fault stays while its version does (replicas added get it too).
    // Nothing changes when it fails (a certificate or a listener it cannot get).
    Result<Reconciled> reconcile(const control::MeshConfig &next);

    std::vector<WorkloadInfo> workloads() const;
    // The serials (hex) of the certificates its sidecars and the local clients hold now: the
    // workload certificates in use. Those of replicas gone or renewed since are not.
    std::set<std::string> certificateSerials() const;
    // The configuration the data plane was last brought to (start-up, then each reload).
    const control::MeshConfig &config() const { return m_config; }
    // Every destination service with its traffic policy: a snapshot (thread-safe to use).
    std::shared_ptr<const Destinations> destinations() const;
    // "svc" or "svc.ns", as clients name services; null if unknown or ambiguous.
    std::shared_ptr<const proxy::Destination> findDestination(std::string_view name) const;
    const telemetry::ProxyMetrics &metrics() const { return *m_metrics; }
    // Open taps subscribe here; the proxies publish (thread-safe).
    telemetry::TapHub &tap() const { return m_metrics->tap; }
    Address localOutbound() const { return m_localOutbound->localAddress(); }
    // The mesh's own upstreams (the top-level list), for local clients.
    std::vector<UpstreamBinding> localUpstreams() const;
    std::string localIdentity() const { return m_localTls->identity(); }
    // Where meshd's analysis traffic enters the mesh (caller telemetry::AnalysisCaller, with the
    // local clients' identity): an ephemeral loopback port.
    Address analysisOutbound() const { return m_analysisOutbound->localAddress(); }
    // The runtime faults per service version, which the inbound proxies of each version's
    // replicas apply; set through the admin API, never persisted (thread-safe).
    proxy::VersionFaults &faults() const { return *m_faults; }

private:
    struct Workload;
    DataPlane(ca::CertificateAuthority &authority, proxy::Workers &workers, const Clock &clock);
    struct LocalUpstream {
        control::UpstreamConfig config;
        std::unique_ptr<proxy::UpstreamPort> port;
    };
    // Binds the upstream ports of a workload's service (data_plane_upstreams.cpp); a fixed port
    // some sidecar or the mesh's list holds now is left for takeUpstreams().
    Result<void> bindUpstreams(Workload &workload, const control::ServiceConfig &service);
    // `fresh` takes the fixed ports it left, from the sidecars and the list that hold them.
    void takeUpstreams(Workload &fresh);
    // Whether a sidecar in force or the mesh's list holds the fixed upstream port `port`, and
    // taking it from there (null if none does).
    bool holdsFixedPort(std::uint16_t port) const;
    std::unique_ptr<proxy::UpstreamPort> releaseFixedPort(std::uint16_t port);
    Result<std::unique_ptr<Workload>> makeWorkload(const control::ServiceConfig &service,
                                                   const control::VersionConfig &version,
                                                   std::size_t index);
    // Brings the local upstream ports to `next`: binds what is new (can fail, changing nothing)
    // and returns the step that moves and stops the rest (cannot fail).
    Result<std::function<void()>>
    reconcileLocalUpstreams(const std::vector<control::UpstreamConfig> &next);
    // Builds the destinations from the ready workloads, keeping each balancer whose replicas and
    // settings did not change; `previous` is the configuration they were built from.
    void publishDestinations(const control::MeshConfig *previous);
    // Clears the runtime faults of versions `next` no longer has; returns them ("v2 of api.shop").
    std::vector<std::string> clearRemovedVersionsFaults(const control::MeshConfig &next);

    ca::CertificateAuthority &m_authority;
    proxy::Workers &m_workers;
    const Clock &m_clock; // certificates, readiness, balancers and retry budgets
    control::MeshConfig m_config;
    std::shared_ptr<telemetry::ProxyMetrics> m_metrics;
    std::shared_ptr<proxy::DestinationTable>
        m_table; // the destinations in force, read by the resolvers
    std::unique_ptr<proxy::VersionFaults> m_faults = std::make_unique<proxy::VersionFaults>();
    std::vector<std::unique_ptr<Workload>> m_workloads;
    std::vector<std::unique_ptr<Workload>> m_retired; // removed by a reload: kept until meshd stops
    std::unique_ptr<ca::CertificateHolder> m_localHolder;
    std::shared_ptr<proxy::WorkloadTls> m_localTls;
    std::unique_ptr<proxy::OutboundProxy> m_localOutbound;
    std::vector<LocalUpstream> m_localUpstreams;
    std::unique_ptr<proxy::OutboundProxy> m_analysisOutbound;
};

} // namespace meshcore::daemon
