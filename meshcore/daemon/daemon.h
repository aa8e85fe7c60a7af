#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>

#include "core/address.h"

namespace meshcore::daemon {

struct UpOptions {
    std::optional<std::filesystem::path> configFile; // unset: the embedded demo mesh
    std::filesystem::path stateDir;
    Address admin;
    Address outbound {"127.0.0.1", 4140}; // the outbound proxy for clients outside the mesh
    unsigned workers = 0; // data-plane threads; 0: one per core
};

// `meshd up`: runs the mesh in the foreground until SIGINT or SIGTERM. Returns the process exit
// status (0 after a clean shutdown, 1 when it cannot start, 2 for an invalid configuration).
// Progress lines go to `out`, problems to `err`.
int runUp(const UpOptions &options, std::ostream &out, std::ostream &err);

} // namespace meshcore::daemon
