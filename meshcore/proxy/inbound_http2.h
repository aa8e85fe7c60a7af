#pragma once

// The inbound side of HTTP/2 between sidecars (ALPN h2): each stream gets its route label and
// metrics and the caller's identity (l5d-client-id), and goes to the workload as an h2c stream
// (prior knowledge) on a connection the worker's pool shares; the response comes back as it
// arrives. As with Linkerd, an HTTP/2 client needs an HTTP/2 server: a workload that speaks only
// HTTP/1.1 answers these streams with 502. Internal to proxy/.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "proxy/inbound_shared.h"
#include "proxy/workers.h"

namespace meshcore::proxy {

// Serves the caller's mTLS connection `down` (its handshake done) as HTTP/2 until it ends.
// Returns the connection, which owns `down` now: the caller keeps it until its meter of the
// socket is gone, then lets it close the socket.
boost::asio::awaitable<std::shared_ptr<void>>
inboundHttp2(beast::ssl_stream<beast::tcp_stream> down, Worker &worker,
             std::shared_ptr<InboundShared> shared, std::string client, telemetry::Labels common);

} // namespace meshcore::proxy
