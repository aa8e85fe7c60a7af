#pragma once

// Layer 7 of the outbound stack: a connection to the endpoint one attempt goes to, that is, to
// its replica's inbound proxy over mTLS with the workload's certificate, the server's identity
// checked against the one the endpoint must have. The client connection's own upstream is kept
// while it keeps going to the same replica; otherwise one comes from the worker's pool, or is new.
// Internal to proxy/.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <memory>
#include <string>

#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "proxy/attempt.h"
#include "proxy/destination.h"
#include "proxy/monotonic_clock.h"
#include "proxy/tls_contexts.h"
#include "proxy/upstream_pool.h"
#include "proxy/workload_tls.h"

namespace meshcore::proxy {

using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using TlsUpstream = Upstream<TlsStream>;

// Leaves in `held` the connection to use for `key` (an endpoint's inbound address), or none if a
// new one must be made: `held` itself if it goes there and is fresh, else a pooled one; a `held`
// that goes elsewhere goes back to the pool.
void reuseOrTakeUpstream(std::unique_ptr<TlsUpstream> &held, UpstreamPool<TlsStream> &pool,
                         const std::string &key);

// Connects `upstream` to `endpoint` as `tls`'s workload, by `expiry`, on `executor` (the client
// connection's; by value: a coroutine keeps its parameters), to carry `protocol` (agreed by ALPN).
// Fails when there is no certificate yet, the connection or handshake fails, the server's identity
// is not the endpoint's, or it does not agree to carry `protocol` (a meshd without opaque TCP).
boost::asio::awaitable<ConnectFailure> connectEndpoint(std::unique_ptr<TlsUpstream> &upstream,
                                                       boost::asio::any_io_executor executor,
                                                       std::string key, const Endpoint &endpoint,
                                                       const WorkloadTls &tls, SteadyTime expiry,
                                                       HopProtocol protocol = HopProtocol::Http1);

} // namespace meshcore::proxy
