#include "proxy/outbound_proxy.h"

#include "proxy/entry.h"
#include "proxy/h2/h2_client_pool.h"

namespace meshcore::proxy {

OutboundShared::OutboundShared() = default;
OutboundShared::~OutboundShared() = default;

Result<std::unique_ptr<OutboundProxy>>
OutboundProxy::create(Workers &workers, const Address &listen, std::shared_ptr<WorkloadTls> tls,
                      Resolver resolver, ProxyTelemetry telemetry, const MonotonicClock &clock)
{
    auto shared = std::make_shared<OutboundShared>();
    shared->tls = std::move(tls);
    shared->resolver = std::move(resolver);
    shared->telemetry = std::move(telemetry);
    shared->clock = &clock;
    shared->workers = &workers;
    for (unsigned i = 0; i < workers.size(); ++i) {
        shared->pools.emplace_back(workers.at(i));
        shared->h2Pools.push_back(
            std::make_unique<h2::H2ClientPool<TlsStream>>(workers.at(i), clock));
    }
    auto listener = ProxyListener::create(
        workers, listen, [shared](asio::ip::tcp::socket socket, Worker &worker) {
            return serveEntry(std::move(socket), worker, shared, EntryTarget {});
        });
    if (!listener)
        return tl::unexpected(listener.error());
    // NOLINTNEXTLINE(modernize-make-unique): the constructor is private
    auto proxy = std::unique_ptr<OutboundProxy>(new OutboundProxy);
    proxy->m_shared = std::move(shared);
    proxy->m_listener = std::move(*listener);
    return proxy;
}

Result<std::unique_ptr<UpstreamPort>> OutboundProxy::bindUpstream(const Address &listen,
                                                                  const std::string &service)
{
    auto port = UpstreamPort::create(
        *m_shared->workers, listen,
        std::make_shared<const UpstreamPort::Route>(UpstreamPort::Route {m_shared, service}));
    if (!port)
        return makeError(port.error().code,
                         "the upstream port for " + service + ": " + port.error().message);
    return port;
}

void OutboundProxy::adopt(UpstreamPort &port, std::string service) const
{
    port.setRoute(std::make_shared<const UpstreamPort::Route>(
        UpstreamPort::Route {m_shared, std::move(service)}));
}

} // namespace meshcore::proxy
