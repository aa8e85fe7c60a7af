#include "daemon/checks/checks.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <string>

#include "core/duration.h"
#include "daemon/checks/check_building.h"

namespace meshcore::daemon::checks {

CheckResult caCanIssue(const CheckInputs &in)
{
    auto result = check("ca-can-issue", "the mesh CA can issue workload certificates");
    if (auto ready = in.authority->canIssue(); !ready)
        worsen(result, Status::Fail, ready.error().message,
               "rotate the issuer (meshd ca rotate-issuer), or the trust anchor if it expired "
               "(meshd ca rotate-anchor --stage add)",
               "ca");
    return result;
}

CheckResult certificateExpiry(const CheckInputs &in)
{
    auto result = check("certificates", "no certificate of the mesh is expired or about to expire");
    const auto now = in.clock->now();
    // Only the workload certificates in use: one of a replica gone or renewed expires unused.
    const auto held = in.dataPlane ? in.dataPlane->certificateSerials() : std::set<std::string> {};
    for (const auto &entry : in.authority->inventory()) {
        if (entry.state == ca::CertState::Ok
            || (in.dataPlane && entry.kind == ca::InventoryEntry::Kind::Workload
                && !held.contains(entry.serial)))
            continue;
        const bool expired = entry.state == ca::CertState::Expired;
        // Time left, rounded to what a person reads: hours beyond a day, minutes beyond an hour.
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(entry.notAfter - now);
        if (left >= std::chrono::hours(24))
            left = std::chrono::round<std::chrono::hours>(left);
        else if (left >= std::chrono::hours(1))
            left = std::chrono::round<std::chrono::minutes>(left);
        else
            left = std::chrono::round<std::chrono::seconds>(left);
        const std::string what
            = std::string(ca::inventoryKindName(entry.kind)) + " '" + entry.identity + "'";
        const std::string message = expired
            ? what + " expired"
            : what + " expires in " + formatDuration(std::max(left, std::chrono::milliseconds(0)));
        std::string hint = "meshd ca rotate-issuer";
        if (entry.kind == ca::InventoryEntry::Kind::TrustAnchor)
            hint = "rotate the trust anchor in three steps: meshd ca rotate-anchor --stage add, "
                   "then --stage reissue, then --stage remove";
        else if (entry.kind == ca::InventoryEntry::Kind::Workload)
            hint = "sidecars renew at 70 % of their certificates' lifetime: check that the CA can "
                   "issue (meshd ca inspect)";
        worsen(result, expired ? Status::Fail : Status::Warn, message, hint, entry.identity);
    }
    return result;
}

} // namespace meshcore::daemon::checks
