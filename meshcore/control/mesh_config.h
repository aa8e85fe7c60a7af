#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "control/policy_config.h"
#include "control/rollout_config.h"
#include "core/result.h"

namespace meshcore::control {

// The mesh configuration as plain immutable data (mesh.yaml). Later sections (services, routes,
// policies) extend this struct; a loaded config is shared as std::shared_ptr<const MeshConfig>.
// Certificate lifetimes for the mesh CA (the `identity` section). Used when meshd creates the
// CA; an existing CA keeps the lifetimes it was created with.
struct IdentityConfig {
    std::chrono::seconds trustAnchorLifetime = std::chrono::hours(24 * 365);
    std::chrono::seconds issuerLifetime = std::chrono::hours(24 * 30);
    std::chrono::seconds workloadLifetime = std::chrono::hours(24);
    std::chrono::seconds clockSkew = std::chrono::seconds(10);
    bool operator==(const IdentityConfig &) const = default;
};

// One workload (a pod, in Kubernetes terms): a process listening on a loopback port.
struct ReplicaConfig {
    std::uint16_t port = 0; // 0: "auto", meshd picks a free one at start
    std::vector<std::string> command; // empty: the user runs the process
    std::map<std::string, std::string> env; // added to the supervised process's environment
    bool operator==(const ReplicaConfig &) const = default;
};

// A version of a service (a Deployment): the replicas that run it.
struct VersionConfig {
    std::string name;
    std::vector<ReplicaConfig> replicas;
    bool operator==(const VersionConfig &) const = default;
};

// A named route of a service, matched on method and path, for per-route metrics and policy.
struct RouteConfig {
    std::string name;
    std::string method; // empty: any method
    std::string pathPrefix; // one of pathPrefix and path is set
    std::string path; // exact match
    RequestPolicy policy; // over the service's
    bool operator==(const RouteConfig &) const = default;
};

// A service reached on a fixed loopback address (the `upstreams` lists): whatever connects to
// 127.0.0.1:<port> goes to `service` through a sidecar, for clients that ignore http_proxy and for
// protocols other than HTTP. A workload's upstreams call with its identity; the mesh's own (the
// top-level list) with the local clients' identity.
struct UpstreamConfig {
    std::string service; // "catalog" or "catalog.shop", as clients name services
    std::uint16_t port = 0; // 0: "auto", meshd picks a free one at start
    std::string env; // the variable that tells the process the address: CATALOG_ADDR
    bool operator==(const UpstreamConfig &) const = default;
};

// What a service's clients speak, as its sidecars carry it. Detect: each connection's first bytes
// say (HTTP/2's preface, an HTTP/1 request line, else opaque TCP). Tcp: opaque TCP from the first
// byte, for protocols where the server speaks first (nothing waits for a client byte).
enum class Protocol { Detect, Tcp };

struct ServiceConfig {
    std::string name;
    std::string ns = "default";
    std::vector<VersionConfig> versions;
    std::vector<RouteConfig> routes;
    RequestPolicy policy; // for requests that match no route, and what routes inherit
    RetryBudgetConfig retryBudget;
    FailureAccrualConfig failureAccrual;
    BalancerConfig balancer;
    std::vector<BackendWeight> split; // empty: each version weighted by its replica count
    std::vector<UpstreamConfig> upstreams; // bound by each replica's sidecar
    Protocol protocol = Protocol::Detect;
    std::chrono::seconds tcpIdleTimeout = std::chrono::hours(1); // an opaque connection's, each way

    // The split in force: `split` with every version listed (unlisted ones at 0), or by default
    // each version weighted by its number of replicas, as a Kubernetes Service spreads traffic.
    std::vector<BackendWeight> effectiveSplit() const;

    // spiffe://<trust-domain>/ns/<namespace>/sa/<name>: every replica of every version has it.
    std::string identity(const std::string &trustDomain) const;
    bool operator==(const ServiceConfig &) const = default;
};

// A steady stream of requests from meshd itself, through the outbound proxy for local clients
// (the `load` section): the demo mesh's traffic.
struct LoadConfig {
    double rate = 0; // requests per second, over all targets; 0: off
    std::vector<std::string> targets; // URLs, taken in turn: http://frontend.demo/
    unsigned concurrency = 4; // requests in flight at most
    std::vector<std::string> headers; // "Name: value", on every request (not in mesh.yaml)
    bool operator==(const LoadConfig &) const = default;
};

struct MeshConfig {
    std::string name;
    std::string trustDomain = "mesh.local";
    IdentityConfig identity;
    std::vector<ServiceConfig> services;
    std::vector<UpstreamConfig> upstreams; // for local clients (shell tools), beside 4140
    LoadConfig load;
    std::vector<RolloutSpec> rollouts; // read and checked here; the rollout controller runs them
    std::string source; // the file it came from, for messages

    // Finds "svc" or "svc.namespace" (as clients name them in URLs). A bare name that exists in
    // several namespaces is ambiguous and finds nothing.
    const ServiceConfig *findService(std::string_view name) const;
};

// Parses mesh.yaml text. Errors read "SOURCE:LINE:COLUMN: problem" (1-based), so editors jump to
// the spot.
Result<MeshConfig> parseMeshConfig(std::string_view yaml, std::string_view sourceName);

Result<MeshConfig> loadMeshConfigFile(const std::filesystem::path &path);

} // namespace meshcore::control
