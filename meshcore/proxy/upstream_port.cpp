#include "proxy/upstream_port.h"

#include "proxy/entry.h"

namespace meshcore::proxy {

UpstreamPort::~UpstreamPort() = default;

std::string UpstreamPort::service() const
{
    const auto current = route();
    return current ? current->service : std::string();
}

std::shared_ptr<const UpstreamPort::Route> UpstreamPort::route() const
{
    const std::lock_guard lock(m_slot->mutex);
    return m_slot->route;
}

void UpstreamPort::setRoute(std::shared_ptr<const Route> route)
{
    const std::lock_guard lock(m_slot->mutex);
    m_slot->route = std::move(route);
}

Result<std::unique_ptr<UpstreamPort>> UpstreamPort::create(Workers &workers, const Address &address,
                                                           std::shared_ptr<const Route> first)
{
    // NOLINTNEXTLINE(modernize-make-unique): the constructor is private
    std::unique_ptr<UpstreamPort> port(new UpstreamPort);
    port->setRoute(std::move(first));
    // The session holds the slot, not the port: a connection accepted as the port goes away
    // still finds its route.
    auto listener = ProxyListener::create(
        workers, address, [slot = port->m_slot](asio::ip::tcp::socket socket, Worker &worker) {
            std::shared_ptr<const Route> route;
            {
                const std::lock_guard lock(slot->mutex);
                route = slot->route;
            }
            return serveEntry(std::move(socket), worker, route->shared,
                              EntryTarget {route->service});
        });
    if (!listener)
        return tl::unexpected(listener.error());
    port->m_listener = std::move(*listener);
    return port;
}

} // namespace meshcore::proxy
