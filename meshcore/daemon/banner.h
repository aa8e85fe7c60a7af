#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>

#include "ca/certificate_authority.h"
#include "control/mesh_config.h"
#include "core/address.h"
#include "core/descriptor_limit.h"
#include "daemon/data_plane.h"

namespace meshcore::daemon {

// What `meshd up` says about itself once every part is up.
struct BannerFacts {
    const control::MeshConfig &config;
    const std::filesystem::path &stateDir;
    const Address &admin; // where the admin API listens
    const ca::CertificateAuthority &authority;
    const DataPlane &dataPlane;
    unsigned workers = 0; // data-plane threads
    DescriptorLimitChange descriptors;
};

// The start-up lines: the mesh, the admin API, the state directory, the CA, the proxies, the
// threads and the file limit, then a WARNING line for each thing the CA cannot do or that is
// about to expire (said loudly at start).
void printBanner(std::ostream &out, const BannerFacts &facts);

// The "start" event's message: "meshd VERSION started mesh 'NAME' from SOURCE with N services".
std::string startMessage(const control::MeshConfig &config);

} // namespace meshcore::daemon
