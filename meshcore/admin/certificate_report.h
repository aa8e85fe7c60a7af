#pragma once

#include "admin/api_types.h"
#include "ca/certificate_authority.h"

namespace meshcore::admin {

// The CA's inventory as the admin API, the CLI and the GUI show it.
CertificateReport makeCertificateReport(const ca::CertificateAuthority &authority, TimePoint now);

} // namespace meshcore::admin
