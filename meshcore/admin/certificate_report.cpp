#include "admin/certificate_report.h"

namespace meshcore::admin {
namespace {
std::int64_t unixSeconds(TimePoint t)
{
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
} // namespace

CertificateReport makeCertificateReport(const ca::CertificateAuthority &authority, TimePoint now,
                                        const std::set<std::string> *heldSerials)
{
    CertificateReport report;
    const auto settings = authority.settings();
    report.trustDomain = settings.trustDomain;
    report.anchorStage = ca::anchorStageName(authority.anchorStage());
    report.generation = authority.generation();
    const auto ready = authority.canIssue();
    report.canIssue = ready.has_value();
    report.problem = ready ? std::string() : ready.error().message;
    for (const auto &entry : authority.inventory()) {
        if (heldSerials && entry.kind == ca::InventoryEntry::Kind::Workload
            && !heldSerials->contains(entry.serial))
            continue;
        CertificateInfo info;
        info.kind = ca::inventoryKindName(entry.kind);
        info.role = entry.role;
        info.identity = entry.identity;
        info.serial = entry.serial;
        info.notBeforeUnix = unixSeconds(entry.notBefore);
        info.notAfterUnix = unixSeconds(entry.notAfter);
        info.secondsLeft
            = std::max<std::int64_t>(0, unixSeconds(entry.notAfter) - unixSeconds(now));
        info.state = ca::certStateName(entry.state);
        report.certificates.push_back(std::move(info));
    }
    return report;
}

} // namespace meshcore::admin
