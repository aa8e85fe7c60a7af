#include "ca/inventory.h"

#include <algorithm>

namespace meshcore::ca {

const char *certStateName(CertState state)
{
    switch (state) {
    case CertState::Ok:
        return "ok";
    case CertState::Warning:
        return "warning";
    case CertState::Expired:
        return "expired";
    }
    return "unknown";
}

const char *inventoryKindName(InventoryEntry::Kind kind)
{
    switch (kind) {
    case InventoryEntry::Kind::TrustAnchor:
        return "trust-anchor";
    case InventoryEntry::Kind::Issuer:
        return "issuer";
    case InventoryEntry::Kind::Workload:
        return "workload";
    }
    return "unknown";
}

CertState certStateAt(const Certificate &certificate, TimePoint now)
{
    const auto notBefore = certificate.notBefore();
    const auto notAfter = certificate.notAfter();
    if (now >= notAfter || now < notBefore)
        return CertState::Expired;
    const auto lifetime = notAfter - notBefore;
    const auto threshold = std::min<TimePoint::duration>(std::chrono::hours(24 * 60), lifetime / 5);
    return notAfter - now < threshold ? CertState::Warning : CertState::Ok;
}

InventoryEntry makeInventoryEntry(InventoryEntry::Kind kind, const Certificate &certificate,
                                  std::string role, TimePoint now)
{
    InventoryEntry entry;
    entry.kind = kind;
    entry.role = std::move(role);
    entry.identity = kind == InventoryEntry::Kind::Workload ? certificate.identity()
                                                            : certificate.subjectCommonName();
    entry.serial = certificate.serialHex();
    entry.notBefore = certificate.notBefore();
    entry.notAfter = certificate.notAfter();
    entry.state = certStateAt(certificate, now);
    return entry;
}

} // namespace meshcore::ca
