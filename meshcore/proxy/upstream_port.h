#pragma once

#include <utility>

#include <memory>
#include <mutex>
#include <string>

#include "core/address.h"
#include "core/result.h"
#include "proxy/proxy_listener.h"

namespace meshcore::proxy {

struct OutboundShared;

// A loopback port bound for one service (an `upstreams` entry): whatever connects there goes to
// that service through an outbound proxy, with the proxy's identity, pools and metrics, as if it
// had named the service through http_proxy. Made by OutboundProxy::bindUpstream(); a reload may
// move it to another service or another proxy (OutboundProxy::adopt) without closing the port.
// Thread: made, moved and stopped on the control thread; its connections run on the workers.
class UpstreamPort {
public:
    struct Route {
        std::shared_ptr<OutboundShared> shared;
        std::string service;
    };

    // Listens on `address` (port 0: a free one) and sends every connection along `first` until
    // setRoute() changes it.
    static Result<std::unique_ptr<UpstreamPort>> create(Workers &workers, const Address &address,
                                                        std::shared_ptr<const Route> first);
    ~UpstreamPort();
    UpstreamPort(const UpstreamPort &) = delete;
    UpstreamPort &operator=(const UpstreamPort &) = delete;

    Address localAddress() const { return m_listener->localAddress(); }
    std::string service() const;
    void stop() { m_listener->stop(); }

    // Internal to proxy/: where the next connection goes (never null).
    std::shared_ptr<const Route> route() const;
    void setRoute(std::shared_ptr<const Route> route);

private:
    UpstreamPort() = default;

    struct Slot {
        mutable std::mutex mutex;
        std::shared_ptr<const Route> route;
    };
    std::shared_ptr<Slot> m_slot = std::make_shared<Slot>();
    std::unique_ptr<ProxyListener> m_listener;
};

} // namespace meshcore::proxy
