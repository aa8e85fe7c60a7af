// The upstream ports of the data plane: each workload's (bound by its sidecar, with its identity)
// and the mesh's own for local clients (with theirs).

#include <algorithm>
#include <cstdint>

#include "daemon/data_plane.h"
#include "daemon/data_plane_workload.h"

namespace meshcore::daemon {

Result<void> DataPlane::bindUpstreams(Workload &workload, const control::ServiceConfig &service,
                                      const Workload *replacing)
{
    for (const auto &upstream : service.upstreams) {
        const Address wanted {"127.0.0.1", upstream.port};
        const bool takenOver = upstream.port != 0 && replacing
            && std::any_of(replacing->info.upstreams.begin(), replacing->info.upstreams.end(),
                           [&](const auto &b) { return b.config.port == upstream.port; });
        if (takenOver) { // bound by the replica it replaces: takeUpstreams() moves it here
            workload.info.upstreams.push_back({upstream, wanted});
            workload.upstreams.emplace_back();
            continue;
        }
        auto port = workload.outbound->bindUpstream(wanted, upstream.service);
        if (!port)
            return makeError(port.error().code, workload.info.pod + ": " + port.error().message);
        workload.info.upstreams.push_back({upstream, (*port)->localAddress()});
        workload.upstreams.push_back(std::move(*port));
    }
    return {};
}

void DataPlane::takeUpstreams(Workload &fresh, Workload &old)
{
    for (std::size_t i = 0; i < fresh.upstreams.size(); ++i) {
        if (fresh.upstreams[i])
            continue;
        const auto &wanted = fresh.info.upstreams[i].config;
        for (std::size_t j = 0; j < old.upstreams.size(); ++j)
            if (old.upstreams[j] && old.info.upstreams[j].config.port == wanted.port) {
                fresh.outbound->adopt(*old.upstreams[j], wanted.service);
                fresh.upstreams[i] = std::move(old.upstreams[j]);
                break;
            }
    }
}

Result<std::function<void()>>
DataPlane::reconcileLocalUpstreams(const std::vector<control::UpstreamConfig> &next)
{
    // Each entry of `next` keeps the port bound for the same service and port, or takes a fixed
    // port it names from another service, or binds a new one. What no entry took is stopped.
    auto &current = m_localUpstreams;
    constexpr std::size_t Fresh = SIZE_MAX;
    std::vector<LocalUpstream> wanted(next.size());
    std::vector<std::size_t> from(next.size(), Fresh); // the entry of `current` it took
    const auto take = [&](std::size_t i, auto matches) {
        for (std::size_t c = 0; c < current.size() && from[i] == Fresh; ++c)
            if (current[c].port && matches(current[c].config)) {
                wanted[i].port = std::move(current[c].port);
                from[i] = c;
            }
    };
    for (std::size_t i = 0; i < next.size(); ++i) {
        const auto &u = next[i];
        wanted[i].config = u;
        take(i, [&u](const auto &c) { return c.service == u.service && c.port == u.port; });
        if (u.port != 0)
            take(i, [&u](const auto &c) { return c.port == u.port; });
    }
    for (std::size_t i = 0; i < next.size(); ++i) {
        if (wanted[i].port)
            continue;
        const auto &u = next[i];
        auto port = m_localOutbound->bindUpstream({"127.0.0.1", u.port}, u.service);
        if (!port) { // nothing changes: what was bound stops, what was taken goes back
            for (std::size_t j = 0; j < next.size(); ++j) {
                if (from[j] != Fresh)
                    current[from[j]].port = std::move(wanted[j].port);
                else if (wanted[j].port)
                    wanted[j].port->stop();
            }
            return makeError(port.error().code, "the mesh's upstreams: " + port.error().message);
        }
        wanted[i].port = std::move(*port);
    }
    auto apply = [this, wanted = std::make_shared<std::vector<LocalUpstream>>(std::move(wanted))] {
        for (auto &w : *wanted)
            m_localOutbound->adopt(*w.port, w.config.service); // a port that changed service
        for (auto &c : m_localUpstreams)
            if (c.port)
                c.port->stop();
        m_localUpstreams = std::move(*wanted);
    };
    return std::function<void()>(std::move(apply));
}

std::vector<UpstreamBinding> DataPlane::localUpstreams() const
{
    std::vector<UpstreamBinding> bindings;
    for (const auto &u : m_localUpstreams)
        if (u.port)
            bindings.push_back({u.config, u.port->localAddress()});
    return bindings;
}

} // namespace meshcore::daemon
