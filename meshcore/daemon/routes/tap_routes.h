#pragma once

#include "admin/admin_api.h"
#include "daemon/routes/admin_routes.h"

namespace meshcore::daemon {

// GET /api/v1/tap?service=&from=&route=&path=&method=&status=&max=: the requests the proxies finish
// from now on that match, as NDJSON, one {"kind":"request",...} line each, while the client reads
// (or until `max` lines). A {"kind":"dropped","count":N} line says when a slow reader lost some.
void addTapRoutes(admin::AdminApi &api, const AdminContext &context);

} // namespace meshcore::daemon
