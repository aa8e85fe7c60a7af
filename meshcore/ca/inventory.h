#pragma once

#include <string>
#include <vector>

#include "ca/certificate.h"
#include "core/clock.h"

namespace meshcore::ca {

enum class CertState { Ok, Warning, Expired };
const char *certStateName(CertState state);

// Warning when less than min(60 days, 20 % of its lifetime) is left, so a 365-day anchor warns
// 60 days ahead and a 1-hour rehearsal issuer 12 minutes ahead; expired once past NotAfter (or
// not yet valid).
CertState certStateAt(const Certificate &certificate, TimePoint now);

// One certificate the CA knows, as the inventory shows it.
struct InventoryEntry {
    enum class Kind { TrustAnchor, Issuer, Workload };
    Kind kind = Kind::Workload;
    std::string role; // anchors: "signing", "new" or "old"; issuer: "current"; leaves: ""
    std::string identity; // leaves: SPIFFE id; anchors and issuers: subject CN
    std::string serial; // hex
    TimePoint notBefore;
    TimePoint notAfter;
    CertState state = CertState::Ok;
};

const char *inventoryKindName(InventoryEntry::Kind kind);

InventoryEntry makeInventoryEntry(InventoryEntry::Kind kind, const Certificate &certificate,
                                  std::string role, TimePoint now);

} // namespace meshcore::ca
