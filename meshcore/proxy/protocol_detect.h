#pragma once

// Protocol detection on an entry with a fixed destination (an upstream port, a CONNECT tunnel),
// as Linkerd detects: HTTP/2's connection preface (h2c with prior knowledge), an HTTP/1 request
// line, or else opaque TCP. Nothing read is lost: the bytes stay in the caller's buffer for the
// protocol that serves them. Internal to proxy/.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <chrono>
#include <optional>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

namespace meshcore::proxy {

enum class Detected {
    Http1,
    Http2,
    Opaque, // neither, or nothing came within the timeout (a server-speaks-first protocol)
    Closed, // the client went away before it sent a byte
};

// The longest first line waited for: longer, it is not taken for HTTP/1.
constexpr std::size_t DetectBytes = 8192;
// Linkerd's: "protocol detection timed out after 10s".
constexpr std::chrono::seconds DetectTimeout {10};

// What a connection's first bytes say, or nothing while more are needed to tell. An HTTP/1
// request line is `token SP target SP HTTP/1.x CRLF` whole: Redis' inline "GET key\r\n" is not.
std::optional<Detected> classifyFirstBytes(std::string_view bytes);

// Reads from `down` into `buffer` until its bytes tell the protocol, the client closes, or
// `timeout` passes with the question open (then Opaque). Socket time: a real timer, as every
// socket timeout in the proxy (monotonic_clock.h).
boost::asio::awaitable<Detected>
detectProtocol(boost::beast::tcp_stream &down, boost::beast::flat_buffer &buffer,
               std::chrono::steady_clock::duration timeout = DetectTimeout);

} // namespace meshcore::proxy
