#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace meshcore::ca {

// A workload identity: spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>.
struct SpiffeId {
    std::string trustDomain;
    std::string ns;
    std::string serviceAccount;

    std::string toString() const;
    bool operator==(const SpiffeId &) const = default;
};

Result<SpiffeId> parseSpiffeId(std::string_view uri);

// The identity of clients outside the mesh (the user's shell through 127.0.0.1:4140).
inline constexpr std::string_view LocalNamespace = "meshscope-local";

} // namespace meshcore::ca
