#pragma once

// The outbound side of opaque TCP: one client connection to one replica of a destination, chosen
// per connection by the destination's balancer, over mTLS with ALPN meshscope.tcp/1, then relayed
// byte for byte. Internal to proxy/.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <boost/asio/awaitable.hpp>

#include "proxy/destination.h"
#include "proxy/outbound_session.h"

namespace meshcore::proxy {

// Connects `session`'s client to a replica of `destination` and relays until either side ends.
// A connect failure tells the balancer (failure accrual ejects a replica that refuses), and the
// next replica is tried, up to 3, since nothing has been sent yet. With none reachable, the
// client's connection is reset: opaque TCP has no way to say why.
boost::asio::awaitable<void> serveOpaque(OutboundSession &session, const Destination &destination);

} // namespace meshcore::proxy
