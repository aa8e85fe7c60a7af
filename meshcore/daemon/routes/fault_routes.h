#pragma once

#include "admin/admin_api.h"
#include "daemon/routes/admin_routes.h"

namespace meshcore::daemon {

// The runtime faults per service version (proxy/version_faults.h), which a version's inbound
// proxies apply: GET /api/v1/faults, PUT and DELETE /api/v1/faults?service=NAME&version=V.
// Every change is logged and recorded as a "fault" event; nothing changes on an error.
void addFaultRoutes(admin::AdminApi &api, const AdminContext &context);

} // namespace meshcore::daemon
