#pragma once

#include <cstdint>
#include <string>

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

// GET /healthz.
struct Health {
    bool ok = false;
    std::string status; // "ok" or a reason
};

} // namespace meshcore::admin
