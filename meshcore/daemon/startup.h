#pragma once

#include <iosfwd>
#include <memory>
#include <string>

#include "ca/certificate_authority.h"
#include "control/mesh_config.h"
#include "core/descriptor_limit.h"
#include "core/result.h"
#include "daemon/daemon.h"
#include "daemon/state_lock.h"

namespace meshcore::daemon {

// What meshd holds before any part of the mesh starts, each as the Result it came in; all hold
// values once layFoundations() returned 0.
struct Foundations {
    DescriptorLimitChange descriptors; // the open file limit, raised
    Result<control::MeshConfig> config;
    std::string configText; // the file as loaded, for the config-in-force check
    Result<std::unique_ptr<StateLock>> stateLock;
    Result<std::string> token; // the admin API's bearer token
    Result<std::unique_ptr<ca::CertificateAuthority>> authority;
};

// In order, stopping at the first that fails: raises the open file limit (every connection is
// a descriptor; the soft limit, often 1024, is only a default); loads the configuration; makes
// the state directory private, takes its lock, refuses foreign contents and removes temporary
// files a killed meshd left; loads or creates the admin token; opens or creates the CA, which
// must be for the configuration's trust domain. Returns 0, or the exit status after saying why
// on `err` (2 for an invalid configuration, 1 otherwise).
int layFoundations(const UpOptions &options, Foundations &foundations, std::ostream &err);

} // namespace meshcore::daemon
