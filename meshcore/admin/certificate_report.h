#pragma once

#include <set>
#include <string>

#include "admin/api_types.h"
#include "ca/certificate_authority.h"

namespace meshcore::admin {

// The CA's inventory as the admin API, the CLI and the GUI show it. With `heldSerials` (meshd's
// view: the certificates its sidecars hold now), a workload certificate no sidecar holds is left
// out: the replica is gone (reload, restart of meshd) or renewed it; the CA's record of what it
// issued (<state>/ca/issued.json, `meshd ca inspect`) still has it.
CertificateReport makeCertificateReport(const ca::CertificateAuthority &authority, TimePoint now,
                                        const std::set<std::string> *heldSerials = nullptr);

} // namespace meshcore::admin
