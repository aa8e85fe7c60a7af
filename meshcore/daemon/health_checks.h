#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "admin/api_types.h"
#include "ca/certificate_authority.h"
#include "control/resource_sampler.h"
#include "control/supervisor.h"
#include "core/clock.h"
#include "daemon/data_plane.h"

namespace meshcore::daemon {

// One check in the spirit of `linkerd check`: what it looked at, how it went, and what to do. The
// admin API's type (admin/api_types.h), so GET /api/v1/checks returns what the checks found.
using CheckResult = admin::CheckInfo;

// What the checks look at; a check whose inputs are missing is left out. Thread: the control
// thread's.
struct CheckInputs {
    const ca::CertificateAuthority *authority = nullptr;
    const DataPlane *dataPlane = nullptr;
    const control::Supervisor *supervisor = nullptr;
    const Clock *clock = nullptr;
    std::optional<std::filesystem::path> configFile; // unset: the embedded demo mesh
    std::string configInForce; // the text in force
    std::string reloadRefusal; // why the file on disk was refused, if it was
    const control::ResourceSampler *resources = nullptr;
};

// Runs every check: the CA can issue; certificates near or past expiry; requests to names no
// service has (with a did-you-mean); crash-looping supervised processes; workloads nobody
// listens for; connections that bypass a workload's inbound proxy (from the kernel's socket
// table); a supervised process whose memory keeps growing; the configuration on disk differing
// from the one in force.
std::vector<CheckResult> runChecks(const CheckInputs &inputs);

// The unknown-destinations check on its own: names called in the minute before `now` that none of
// the `known` services ("name.namespace") is, each with a did-you-mean.
CheckResult unknownDestinationCheck(const std::vector<std::string> &known,
                                    const telemetry::TrafficStats &traffic, TimePoint now);

// Edit distance, for did-you-mean suggestions.
std::size_t editDistance(const std::string &a, const std::string &b);

} // namespace meshcore::daemon
