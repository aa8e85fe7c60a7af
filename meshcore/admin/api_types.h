#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace meshcore::admin {

// GET /api/v1/version: who is answering, and since when.
struct VersionInfo {
    std::string version;      // meshd's release, "0.1.0"
    int apiVersion = 0;       // the admin API's major version, 1
    std::string mesh;         // the mesh's name from its configuration
    std::string trustDomain;  // "mesh.local"
    std::string configSource; // the configuration file, or "embedded demo mesh"
    std::int64_t pid = 0;
    std::int64_t startedAtUnixMs = 0;
    std::int64_t uptimeMs = 0;
    std::string adminAddress; // where the admin API listens, "127.0.0.1:4191"
    std::string stateDir;
};

// One certificate of the mesh CA's inventory (GET /api/v1/certificates).
struct CertificateInfo {
    std::string kind;     // "trust-anchor", "issuer", "workload"
    std::string role;     // anchors: "signing", "new", "old"; issuer: "current"
    std::string identity; // workloads: SPIFFE id; anchors and issuers: subject name
    std::string serial;   // hex
    std::int64_t notBeforeUnix = 0;
    std::int64_t notAfterUnix = 0;
    std::int64_t secondsLeft = 0;
    std::string state;    // "ok", "warning", "expired"
};

struct CertificateReport {
    std::string trustDomain;
    std::string anchorStage; // "stable", "added", "reissued"
    std::int64_t generation = 0;
    bool canIssue = false;
    std::string problem; // why the CA cannot issue, when it cannot
    std::vector<CertificateInfo> certificates;
};

// GET /healthz.
struct Health {
    bool ok = false;
    std::string status; // "ok" or a reason
};

} // namespace meshcore::admin
