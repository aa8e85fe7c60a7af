#pragma once

#include <filesystem>
#include <string>

#include "core/result.h"

namespace meshcore::admin {

inline constexpr const char *AdminTokenFileName = "admin.token";

// The token meshd requires on every admin call but /healthz and /metrics. Kept across restarts so
// a running GUI or script keeps working; created 0600 (32 random bytes, hex) when missing. A token
// file that is a symbolic link, belongs to another user or is open to others is refused rather
// than trusted: someone may have planted it, knowing the token.
Result<std::string> loadOrCreateAdminToken(const std::filesystem::path &stateDir);

// Reads the token of the meshd that owns `stateDir` (the CLI and the GUI do this), with the same
// refusals. NotFound when there is none.
Result<std::string> readAdminToken(const std::filesystem::path &stateDir);

} // namespace meshcore::admin
