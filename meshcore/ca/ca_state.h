#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "ca/certificate.h"
#include "ca/private_key.h"
#include "core/result.h"

namespace meshcore::ca {

using Seconds = std::chrono::seconds;

// Lifetimes and names a CA is created with; kept in its state so it always behaves the same.
struct CaSettings {
    std::string trustDomain = "mesh.local";
    Seconds anchorLifetime = std::chrono::hours(24 * 365);
    Seconds issuerLifetime = std::chrono::hours(24 * 30);
    Seconds leafLifetime = std::chrono::hours(24);
    Seconds clockSkew = Seconds(10);
};

Result<void> validateSettings(const CaSettings &settings);

// Where a trust-anchor rotation stands: stable -> added (new anchor in the bundle, issuer still
// under the old) -> reissued (issuer under the new anchor, old anchor still trusted) -> stable.
enum class AnchorStage { Stable, Added, Reissued };
const char *anchorStageName(AnchorStage stage);

struct KeyedCertificate {
    Certificate certificate;
    PrivateKey key;
};

// Everything a CA is, as plain data: persisted whole in one file, replaced whole on every change.
struct CaState {
    CaSettings settings;
    AnchorStage stage = AnchorStage::Stable;
    std::vector<Certificate> trustBundle; // every trusted anchor, oldest first
    KeyedCertificate signingAnchor; // signs issuers
    std::optional<KeyedCertificate> nextAnchor; // in the bundle, not yet signing (stage Added)
    KeyedCertificate issuer; // signs workload leaves
    std::int64_t generation = 0; // +1 on every change
};

// Checks the invariants a loaded or changed state must keep: keys match certificates, the
// issuer chains to the signing anchor, every anchor is in the bundle, the stage fits.
Result<void> validateState(const CaState &state);

std::string serializeState(const CaState &state);
Result<CaState> parseState(std::string_view json, std::string_view source);

} // namespace meshcore::ca
