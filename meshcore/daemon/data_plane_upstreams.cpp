// The upstream ports of the data plane: each workload's (bound by its sidecar, with its identity)
// and the mesh's own for local clients (with theirs).

#include <algorithm>
#include <cstdint>

#include "daemon/data_plane.h"
#include "daemon/data_plane_workload.h"

namespace meshcore::daemon {

bool DataPlane::holdsFixedPort(std::uint16_t port) const
{
    for (const auto &w : m_workloads)
        for (std::size_t i = 0; i < w->upstreams.size(); ++i)
            if (w->upstreams[i] && w->info.upstreams[i].config.port == port)
                return true;
    return std::any_of(m_localUpstreams.begin(), m_localUpstreams.end(),
                       [port](const auto &u) { return u.port && u.config.port == port; });
}

std::unique_ptr<proxy::UpstreamPort> DataPlane::releaseFixedPort(std::uint16_t port)
{
    for (auto &w : m_workloads)
        for (std::size_t i = 0; i < w->upstreams.size(); ++i)
            if (w->upstreams[i] && w->info.upstreams[i].config.port == port)
                return std::move(w->upstreams[i]);
    for (auto &u : m_localUpstreams)
        if (u.port && u.config.port == port)
            return std::move(u.port);
    return nullptr;
}

Result<void> DataPlane::bindUpstreams(Workload &workload, const control::ServiceConfig &service)
{
    for (const auto &upstream : service.upstreams) {
        const Address wanted {"127.0.0.1", upstream.port};
        // A fixed port bound now passes to this sidecar when the change is made (takeUpstreams),
        // from whichever sidecar or list holds it: binding it twice would fail.
        if (upstream.port != 0 && holdsFixedPort(upstream.port)) {
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

void DataPlane::takeUpstreams(Workload &fresh)
{
    for (std::size_t i = 0; i < fresh.upstreams.size(); ++i) {
        if (fresh.upstreams[i])
            continue;
        const auto &wanted = fresh.info.upstreams[i].config;
        fresh.upstreams[i] = releaseFixedPort(wanted.port);
        if (fresh.upstreams[i])
            fresh.outbound->adopt(*fresh.upstreams[i], wanted.service);
    }
}

Result<std::function<void()>>
DataPlane::reconcileLocalUpstreams(const std::vector<control::UpstreamConfig> &next)
{
    // Each entry of `next` keeps the port bound for the same service and port, or takes a fixed
    // port bound now (by another entry or a sidecar), or binds a new one. Only the binding happens
    // here; the moves and the stops happen in the step returned, which cannot fail.
    constexpr std::size_t Fresh = SIZE_MAX;
    constexpr std::size_t Elsewhere = SIZE_MAX - 1;
    std::vector<std::size_t> from(next.size(), Fresh); // the entry of m_localUpstreams it keeps
    std::vector<bool> kept(m_localUpstreams.size(), false);
    for (std::size_t i = 0; i < next.size(); ++i) {
        const auto &u = next[i];
        for (std::size_t c = 0; c < m_localUpstreams.size() && from[i] == Fresh; ++c)
            if (!kept[c] && m_localUpstreams[c].config.service == u.service
                && m_localUpstreams[c].config.port == u.port) {
                from[i] = c;
                kept[c] = true;
            }
        if (from[i] == Fresh && u.port != 0 && holdsFixedPort(u.port))
            from[i] = Elsewhere;
    }
    auto bound = std::make_shared<std::vector<std::unique_ptr<proxy::UpstreamPort>>>(next.size());
    for (std::size_t i = 0; i < next.size(); ++i) {
        if (from[i] != Fresh)
            continue;
        auto port = m_localOutbound->bindUpstream({"127.0.0.1", next[i].port}, next[i].service);
        if (!port) { // nothing changes: what was bound here stops
            for (const auto &b : *bound)
                if (b)
                    b->stop();
            return makeError(port.error().code, "the mesh's upstreams: " + port.error().message);
        }
        (*bound)[i] = std::move(*port);
    }
    return std::function<void()>([this, next, from, bound] {
        std::vector<LocalUpstream> wanted(next.size());
        for (std::size_t i = 0; i < next.size(); ++i) {
            wanted[i].config = next[i];
            if (from[i] == Fresh)
                wanted[i].port = std::move((*bound)[i]);
            else if (from[i] != Elsewhere)
                wanted[i].port = std::move(m_localUpstreams[from[i]].port);
        }
        for (std::size_t i = 0; i < next.size(); ++i)
            if (from[i] == Elsewhere) {
                // Taken from a sidecar replaced by this change or from an entry of the old list.
                wanted[i].port = releaseFixedPort(next[i].port);
            }
        for (auto &w : wanted)
            if (w.port)
                m_localOutbound->adopt(*w.port, w.config.service); // a port that changed service
        for (auto &c : m_localUpstreams)
            if (c.port)
                c.port->stop();
        m_localUpstreams = std::move(wanted);
    });
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
