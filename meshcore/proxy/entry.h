#pragma once

// Where a workload's connection enters the mesh: its outbound proxy (http_proxy), the local
// clients' 4140 and the upstream ports all serve a connection the same way. Internal to proxy/.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "proxy/outbound_session.h"

namespace meshcore::proxy {

// Where an entry's requests go. Empty: each request names its service, in its absolute-form
// target or its Host (the forward proxy). Otherwise every request goes to `service` (an upstream
// port), whatever its Host says, and goes upstream with Host: <service>.
struct EntryTarget {
    std::string service;
};

// Serves one client connection until it closes, is idle for a minute, or the worker drains.
asio::awaitable<void> serveEntry(asio::ip::tcp::socket socket, Worker &worker,
                                 std::shared_ptr<OutboundShared> shared, EntryTarget target);

} // namespace meshcore::proxy
