#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

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
};

struct MeshConfig {
    std::string name;
    std::string trustDomain = "mesh.local";
    IdentityConfig identity;
    std::string source; // the file it came from, for messages
};

// Parses mesh.yaml text. Errors read "SOURCE:LINE:COLUMN: problem" (1-based), so editors jump to
// the spot.
Result<MeshConfig> parseMeshConfig(std::string_view yaml, std::string_view sourceName);

Result<MeshConfig> loadMeshConfigFile(const std::filesystem::path &path);

} // namespace meshcore::control
