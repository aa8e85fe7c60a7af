#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <variant>

#include "admin/admin_api.h"
#include "admin/api_types.h"
#include "ca/certificate_authority.h"
#include "control/resource_sampler.h"
#include "control/supervisor.h"
#include "core/clock.h"
#include "core/event_log.h"
#include "daemon/config_reload.h"
#include "daemon/data_plane.h"
#include "daemon/split_memory.h"
#include "rollout/rollout_controller.h"

namespace meshcore::daemon {

// Everything the admin routes read or change, owned by the daemon, which builds it once (runUp)
// and outlives the routes; every part is there (references, no null to check).
struct AdminContext {
    std::function<admin::VersionInfo()> version;
    ca::CertificateAuthority &authority;
    const Clock &clock;
    std::function<void(const std::string &)> log; // one line per change made through the API
    const DataPlane &dataPlane;
    const control::Supervisor &supervisor;
    EventLog &events; // changes made through the API are recorded here too
    ConfigReloader &reloader; // the configuration in force, and POST /api/v1/reload
    const control::ResourceSampler &resources; // RSS and CPU of supervised processes
    rollout::RolloutController &rollouts; // every rollout; a split set by hand pauses one
    SplitMemory &splits; // the splits set at run time, kept across restarts
};

// The destination a request names with ?service=NAME (or NAME.NAMESPACE), or the error
// response to send: 400 without a name, 404 (listing the services) for an unknown one.
std::variant<std::shared_ptr<const proxy::Destination>, admin::ApiResponse>
destinationNamedIn(const AdminContext &context, const admin::ApiRequest &request);

// Registers meshd's endpoints: version, certificates, CA rotations, workloads, events, /metrics.
void addAdminRoutes(admin::AdminApi &api, const AdminContext &context);

} // namespace meshcore::daemon
