#include "daemon/banner.h"

#include <ostream>

#include "admin/admin_token.h"
#include "core/version.h"

namespace meshcore::daemon {
namespace {

void printCaWarnings(std::ostream &out, const ca::CertificateAuthority &authority)
{
    if (auto ready = authority.canIssue(); !ready)
        out << "meshd: WARNING: " << ready.error().message << std::endl;
    for (const auto &entry : authority.inventory())
        if (entry.kind != ca::InventoryEntry::Kind::Workload && entry.state != ca::CertState::Ok)
            out << "meshd: WARNING: " << ca::inventoryKindName(entry.kind) << " '" << entry.identity
                << "' is " << ca::certStateName(entry.state) << " (see 'meshd ca inspect')"
                << std::endl;
}

} // namespace

void printBanner(std::ostream &out, const BannerFacts &facts)
{
    const auto &authority = facts.authority;
    const auto &dataPlane = facts.dataPlane;
    out << "meshd " << MeshscopeVersion << ": mesh '" << facts.config.name << "' from "
        << facts.config.source << "\n"
        << "meshd: admin API listening on " << facts.admin.toString() << "\n"
        << "meshd: state directory " << facts.stateDir.string() << " (admin token in "
        << (facts.stateDir / admin::AdminTokenFileName).string() << ")\n"
        << "meshd: " << (authority.wasCreated() ? "created the " : "") << "CA for trust domain '"
        << authority.settings().trustDomain << "' (generation " << authority.generation()
        << ", trust bundle in " << (authority.directory() / "trust-bundle.pem").string() << ")"
        << std::endl;
    out << "meshd: outbound proxy for local clients on " << dataPlane.localOutbound().toString()
        << " (identity " << dataPlane.localIdentity() << "; curl -x http://"
        << dataPlane.localOutbound().toString() << " http://SERVICE/)\n";
    for (const auto &u : dataPlane.localUpstreams())
        out << "meshd: upstream port for local clients on " << u.address.toString() << " -> "
            << u.config.service << "\n";
    for (const auto &w : dataPlane.workloads()) {
        out << "meshd: workload " << w.pod << " (127.0.0.1:" << w.port << "): inbound "
            << w.inbound.toString() << ", outbound " << w.outbound.toString();
        for (const auto &u : w.upstreams)
            out << ", " << u.config.env << "=" << u.address.toString();
        out << "\n";
    }
    out << "meshd: " << facts.workers << " data-plane thread" << (facts.workers == 1 ? "" : "s")
        << std::endl;
    out << "meshd: open file limit " << facts.descriptors.now;
    if (facts.descriptors.now != facts.descriptors.before)
        out << " (raised from " << facts.descriptors.before << " to the hard limit)";
    out << std::endl;
    printCaWarnings(out, authority);
}

std::string startMessage(const control::MeshConfig &config)
{
    return "meshd " + std::string(MeshscopeVersion) + " started mesh '" + config.name + "' from "
        + config.source + " with " + std::to_string(config.services.size()) + " service"
        + (config.services.size() == 1 ? "" : "s");
}

} // namespace meshcore::daemon
