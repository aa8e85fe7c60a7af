#pragma once

// HTTP/2 from a workload (h2c with prior knowledge, as gRPC clients speak it, on an upstream port
// or inside a CONNECT tunnel): each stream goes down the same outbound stack as an HTTP/1.1
// request (route, metrics, faults, retries, balancer), on its own, and out over an h2 connection
// to the chosen replica's sidecar (mTLS, ALPN h2) shared by every stream to that replica from
// this worker. Internal to proxy/.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <boost/asio/awaitable.hpp>

#include "proxy/entry.h"
#include "proxy/outbound_session.h"

namespace meshcore::proxy {

// Serves the client connection of `session` as HTTP/2 until it ends; its preface may be in
// `session.downBuffer` already.
boost::asio::awaitable<void> serveHttp2(OutboundSession &session, const EntryTarget &entry);

} // namespace meshcore::proxy
