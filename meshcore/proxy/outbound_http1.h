#pragma once

// The outbound stack's HTTP/1.1 codec: one request from the workload's plain connection as it
// goes upstream (its head rewritten, its body streamed or kept for retries), each attempt over an
// endpoint's mTLS connection, and the one exit that relays the response or writes the proxy's
// own answer. The layers above it see only ForwardResults and ProxyErrors, so an HTTP/2 codec
// reuses every one of them; what is HTTP/1-shaped is this class, the session's streams
// (outbound_session.h) and the request type outboundRequest() takes. Internal to proxy/.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <optional>
#include <string>

#include "proxy/outbound_session.h"
#include "proxy/request_context.h"
#include "proxy/request_target.h"
#include "proxy/retry.h"
#include "proxy/upstream_exchange.h"

namespace meshcore::proxy {

class OutboundHttp1 {
public:
    using Request = http::request_parser<http::buffer_body>;

    OutboundHttp1(OutboundSession &session, Request &request, const Destination &destination,
                  const RequestTarget &target, RequestContext &context);

    bool idempotent() const { return isIdempotent(m_request.get().method()); }
    // The head as it goes upstream: origin-form target, Host, no hop-by-hop fields and no
    // l5d-client-id; a 100 Continue the client asked for is answered. False: the client left.
    asio::awaitable<bool> prepareHead();
    // A request `retries` may send again has its body read whole if it is small; a larger or
    // chunked one is streamed and sent once. False: the client left before its body was whole.
    asio::awaitable<bool> keepBodyFor(RetryPolicy &retries);
    // One attempt to `endpoint`: connects (or reuses a connection), sends, reads the response head.
    asio::awaitable<ForwardResult> sendTo(const Endpoint &endpoint);
    // The last attempt's response is not relayed (it is retried): its connection is done.
    void discard() { m_session.upstream.reset(); }

    // The one exit: relays the response of an Ok result, or answers the proxy's error, and
    // records the request once. Returns whether the client's connection can carry another.
    asio::awaitable<bool> end(const ForwardResult &result);
    asio::awaitable<bool> end(const ProxyError &error);

private:
    asio::awaitable<bool> relay();

    OutboundSession &m_session;
    Request &m_request;
    const Destination &m_destination;
    const RequestTarget &m_target;
    RequestContext &m_context;
    const unsigned m_version;
    const bool m_keepAlive;
    std::optional<BodyReader> m_body; // framed once the head is as it goes upstream
    std::string m_bodyBytes; // kept for retries
    bool m_buffered = false;
    OutgoingRequest m_outgoing;
    std::optional<http::response_parser<http::buffer_body>> m_response;
    const Endpoint *m_endpoint = nullptr; // the last attempt's
};

} // namespace meshcore::proxy
