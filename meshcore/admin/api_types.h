#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace meshcore::admin {

// GET /api/v1/version: who is answering, and since when.
struct VersionInfo {
    std::string version; // meshd's release, "0.1.0"
    int apiVersion = 0; // the admin API's major version, 1
    std::string mesh; // the mesh's name from its configuration
    std::string trustDomain; // "mesh.local"
    std::string configSource; // the configuration file, or "embedded demo mesh"
    std::int64_t pid = 0;
    std::int64_t startedAtUnixMs = 0;
    std::int64_t uptimeMs = 0;
    std::string adminAddress; // where the admin API listens, "127.0.0.1:4191"
    std::string stateDir;
    bool operator==(const VersionInfo &) const = default;
};

// One certificate of the mesh CA's inventory (GET /api/v1/certificates).
struct CertificateInfo {
    std::string kind; // "trust-anchor", "issuer", "workload"
    std::string role; // anchors: "signing", "new", "old"; issuer: "current"
    std::string identity; // workloads: SPIFFE id; anchors and issuers: subject name
    std::string serial; // hex
    std::int64_t notBeforeUnix = 0;
    std::int64_t notAfterUnix = 0;
    std::int64_t secondsLeft = 0;
    std::string state; // "ok", "warning", "expired"
    bool operator==(const CertificateInfo &) const = default;
};

struct CertificateReport {
    std::string trustDomain;
    std::string anchorStage; // "stable", "added", "reissued"
    std::int64_t generation = 0;
    bool canIssue = false;
    std::string problem; // why the CA cannot issue, when it cannot
    std::vector<CertificateInfo> certificates;
    bool operator==(const CertificateReport &) const = default;
};

// POST /api/v1/reload: what applying the configuration file changed.
struct ReloadResult {
    bool changed = false; // false: the file says what is already in force
    std::string summary; // one line
    std::string configFile;
    std::vector<std::string> servicesAdded;
    std::vector<std::string> servicesRemoved;
    std::vector<std::string> servicesChanged; // policy, routes or split
    std::vector<std::string> workloadsStarted;
    std::vector<std::string> workloadsStopping;
    bool loadChanged = false;
    bool operator==(const ReloadResult &) const = default;
};

// GET /api/v1/tap: the line that says the reader fell behind and `count` requests were dropped.
// (The other lines are telemetry::TapEvent.)
struct TapDropped {
    std::uint64_t count = 0;
    bool operator==(const TapDropped &) const = default;
};

// GET /healthz.
struct Health {
    bool ok = false;
    std::string status; // "ok" or a reason
};

// Request rate, success and latency over a window (the topology, routes and history share them).
struct TrafficFigures {
    std::int64_t requests = 0;
    double rps = 0;
    std::optional<double> successRate; // none without requests
    double p50Ms = 0;
    double p95Ms = 0;
    double p99Ms = 0;
    bool operator==(const TrafficFigures &) const = default;
};

// GET /api/v1/topology: a service, a local client, or an unknown name that was called.
// Clients carry their identity and no traffic figures; services and unknown names the reverse.
struct TopologyService {
    std::string name;
    std::string ns;
    std::string kind; // "service", "client", "unknown"
    bool meshed = false;
    std::vector<std::string> versions;
    std::string identity; // clients only
    TrafficFigures traffic; // as its callers saw it
    bool operator==(const TopologyService &) const = default;
};

struct VersionShare {
    std::string version;
    double share = 0;
    TrafficFigures traffic;
    bool operator==(const VersionShare &) const = default;
};

// An edge's opaque TCP connections (protocol: tcp, or detected as neither HTTP).
struct TcpFigures {
    std::int64_t openConnections = 0; // now
    double connectionsPerSecond = 0; // opened, over the window (at most a minute)
    double sentBytesPerSecond = 0; // caller to callee, likewise
    double receivedBytesPerSecond = 0; // callee to caller
    std::int64_t refusedTotal = 0; // connect failures since meshd started
    bool operator==(const TcpFigures &) const = default;
};

struct TopologyEdge {
    std::string sourceService;
    std::string sourceNs;
    std::string sourceIdentity;
    std::string destinationService;
    std::string destinationNs;
    std::string destinationIdentity;
    bool destinationMeshed = false;
    bool mtls = false;
    TrafficFigures traffic;
    std::vector<VersionShare> versions;
    // What the edge carries: "http" (requests, in `traffic`), "tcp" (connections, in `tcp`), or
    // both. An older meshd's edges are "http".
    std::vector<std::string> protocols {"http"};
    std::optional<TcpFigures> tcp; // with "tcp"
    bool operator==(const TopologyEdge &) const = default;
};

struct Topology {
    int windowSeconds = 0;
    std::vector<TopologyService> services;
    std::vector<TopologyEdge> edges;
    bool operator==(const Topology &) const = default;
};

// GET /api/v1/routes?service=
struct RouteFigures {
    std::string name;
    TrafficFigures traffic;
    std::optional<std::int64_t> timeoutMs;
    unsigned retryLimit = 0;
    double retriesTotal = 0;
    double timeoutsTotal = 0;
    bool operator==(const RouteFigures &) const = default;
};

struct ServiceRoutes {
    std::string service;
    std::string ns;
    std::string from; // ?from=: the caller ("name.namespace") whose requests these are; "": all
    int windowSeconds = 0; // the window of the traffic figures
    std::vector<RouteFigures> routes;
    bool operator==(const ServiceRoutes &) const = default;
};

// GET /api/v1/history?service=[&range=5m|15m|1h][&from=]: 30 or 90 points of 10 s, or 60 of a
// minute, oldest first.
struct HistoryPoint {
    std::int64_t timeUnix = 0;
    TrafficFigures traffic;
    bool operator==(const HistoryPoint &) const = default;
};

struct ServiceHistory {
    std::string service;
    std::string ns;
    std::string from; // the caller ("name.namespace") whose requests these are; "": every caller
    int rangeSeconds = 0; // 300, 900 or 3600
    int stepSeconds = 0; // 10 or 60
    std::vector<HistoryPoint> points;
    bool operator==(const ServiceHistory &) const = default;
};

// GET /api/v1/checks: the one check type; the daemon's checks (daemon/health_checks.h) return it.
struct CheckInfo {
    enum class Status { Pass, Warn, Fail }; // spelled "pass", "warn", "fail" (api_checks_json.cpp)
    std::string name; // "proxy-bypass"
    std::string title; // what passing means, one line
    Status status = Status::Pass;
    std::string message; // what was found (empty when it passed)
    std::string hint; // what to do about it (empty when it passed)
    std::vector<std::string> subjects; // pods, services or names concerned
    bool operator==(const CheckInfo &) const = default;
};

struct ChecksReport {
    CheckInfo::Status status = CheckInfo::Status::Pass; // the worst of the checks
    std::vector<CheckInfo> checks;
    bool operator==(const ChecksReport &) const = default;
};

// GET /api/v1/events
struct EventInfo {
    std::uint64_t seq = 0;
    std::int64_t timeUnixMs = 0;
    std::string kind;
    std::string subject;
    std::string message;
    bool operator==(const EventInfo &) const = default;
};

// An upstream port: whatever connects to `address` reaches `service`; `env` tells the process.
struct UpstreamStatus {
    std::string service;
    std::string env; // CATALOG_ADDR
    std::string address; // "127.0.0.1:15001"
    bool operator==(const UpstreamStatus &) const = default;
};

// GET /api/v1/workloads: one replica, its process (when meshd runs it) and balancer state.
struct WorkloadStatus {
    std::string pod;
    std::string service;
    std::string ns;
    std::string version;
    std::string identity;
    int port = 0;
    std::string inbound; // its inbound proxy (mTLS), "127.0.0.1:4143"
    std::string outbound; // its outbound proxy (its http_proxy)
    std::vector<UpstreamStatus> upstreams; // its sidecar's upstream ports
    std::string certificateSerial;
    bool ready = true;
    bool supervised = false; // "process" is null when not: the user runs it, not meshd
    std::string processState; // "running", "backing-off", "stopped"
    std::int64_t pid = 0;
    int restarts = 0;
    int lastExitStatus = 0; // exit code, or 128 + signal
    std::string lastError; // why it could not be started, if it could not
    std::string log; // the file its output goes to
    std::optional<double> rssKib;
    std::optional<double> cpuPercent;
    std::optional<double> rssTrendKibPerMin;
    bool rssKeepsGrowing = false;
    std::string balancerState; // "ready", "probing", "ejected"; "" when not in a balancer
    double latencyEwmaMs = 0;
    int pending = 0; // requests in flight to it
    int ejections = 0;
    std::int64_t certificateNotAfterUnix = 0;
    bool operator==(const WorkloadStatus &) const = default;
};

struct WorkloadsReport {
    std::string localOutbound; // the outbound proxy for clients outside the mesh
    std::string localIdentity; // their identity
    std::vector<UpstreamStatus> localUpstreams; // the mesh's upstream ports for them
    std::vector<WorkloadStatus> workloads;
    bool operator==(const WorkloadsReport &) const = default;
};

// GET /api/v1/split?service= (and PUT's answer); GET /api/v1/splits is a list of them.
struct BackendShare {
    std::string version;
    unsigned weight = 0;
    bool operator==(const BackendShare &) const = default;
};

struct SplitInfo {
    std::string service;
    std::string ns;
    std::vector<BackendShare> backends;
    // "config": the split of mesh.yaml is in force; "runtime": one set through the API or by a
    // rollout, which differs from the file's.
    std::string source = "config";
    // A runtime split saved in the state directory: it outlives a restart of meshd until
    // mesh.yaml changes this service's split. False for "config" (nothing to keep).
    bool persisted = false;
    bool operator==(const SplitInfo &) const = default;
};

// A runtime fault of one service version: PUT /api/v1/faults's body. Its replicas' inbound
// proxies delay delayPercent % of requests by delayMs, then answer abortPercent % themselves
// with abortStatus (docs/api.md).
struct FaultSpec {
    double delayPercent = 0; // 0-100
    std::int64_t delayMs = 0; // 0-60000
    double abortPercent = 0; // 0-100
    std::int64_t abortStatus = 503; // 400-599
    bool operator==(const FaultSpec &) const = default;
};

// One version's fault: GET /api/v1/faults lists them, PUT answers the one now in force.
struct VersionFault {
    std::string service;
    std::string ns;
    std::string version;
    FaultSpec fault;
    bool operator==(const VersionFault &) const = default;
};

// DELETE /api/v1/faults's answer: whether the version had a fault to clear.
struct FaultCleared {
    std::string service;
    std::string ns;
    std::string version;
    bool cleared = false;
    bool operator==(const FaultCleared &) const = default;
};

} // namespace meshcore::admin
