#pragma once

// One HTTP/2 stream as the proxy's layers use it: a head, a body read chunk by chunk, trailers;
// and the same the other way. Reading reopens the peer's window only as chunks are taken, so what
// a stream holds is bounded by its window, and a slow reader stalls its own stream only; writing
// waits while a window's worth is unsent. Thread: the connection's.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/result.h"
#include "proxy/h2/h2_headers.h"
#include "proxy/h2/h2_limits.h"
#include "proxy/h2/h2_session.h"

namespace meshcore::proxy::h2 {

class H2ConnectionCore;

// What read() gave: bytes, or the end of the message, or the stream's failure.
struct BodyChunk {
    std::string bytes;
    bool end = false; // the message is whole (its trailers, if any, in trailers())
    bool reset = false; // the stream was reset, or its connection lost, before the end
};

class H2Stream {
public:
    H2Stream(H2ConnectionCore &core, std::int32_t id, const boost::asio::any_io_executor &executor);
    H2Stream(const H2Stream &) = delete;
    H2Stream &operator=(const H2Stream &) = delete;

    std::int32_t id() const { return m_id; }

    // The peer's head: the request on a server, the final response on a client once waitHead()
    // said there is one.
    const Headers &head() const { return m_head; }
    boost::asio::awaitable<bool> waitHead();
    // The next chunk of the peer's body; the previous one is taken as forwarded.
    boost::asio::awaitable<BodyChunk> read();
    const Headers &trailers() const { return m_trailers; }

    // The peer said all it will send (END_STREAM), though read() may still have bytes of it.
    bool peerEnded() const { return m_inEnded; }
    // Body bytes arrived and not read() yet.
    std::size_t unreadBytes() const { return m_inBytes; }
    // Closed: both ways done, or reset (by either side, or the connection lost).
    bool closed() const { return m_closed; }
    // The code it was reset with (NO_ERROR for a stream that closed whole).
    std::uint32_t closeCode() const { return m_closeCode; }
    // Its connection ended under it (rather than a RST_STREAM, or a GOAWAY's refusal).
    bool connectionLost() const { return m_lost; }

    // A server's response head; with `endStream` the whole response (a gRPC trailers-only one).
    Result<void> respond(const Headers &head, bool endStream);
    // Sends `bytes` as DATA; waits while more than a stream window is unsent. False once the
    // stream is closed: what was not sent is lost.
    boost::asio::awaitable<bool> write(std::string_view bytes);
    // Queues `bytes` without waiting (a small body the proxy writes itself).
    void writeNow(std::string_view bytes);
    // Ends what this side sends, with `trailers` when there are any.
    void finish(Headers trailers = {});
    // RST_STREAM(code): both ways end now.
    void reset(H2Code code);
    // A server that answered before the client finished its request: RST_STREAM(NO_ERROR) once
    // the response's END_STREAM is out (RFC 9113 8.1), so the client stops sending; not before,
    // or the response's tail would be lost.
    void stopPeerAfterResponse();
    // Runs `then` when the stream closes, however it does (at once if it is closed): how a proxy
    // ends the stream it opened for this one. One at a time; a new one replaces the last.
    void whenClosed(std::function<void()> then);

private:
    friend class H2ConnectionCore;

    // From the connection.
    void receivedHead(HeadKind kind, Headers headers, bool endStream);
    void receivedData(std::string_view bytes);
    void receivedEnd();
    void endSent();
    void closedWith(std::uint32_t code, bool lost);
    BodyPiece produce(std::span<char> out);
    Headers takeTrailers() { return std::move(m_outTrailers); }
    // Whether nothing happened on the stream since the last call.
    bool idleSinceLastLook();

    void bodyReady();
    std::size_t unsent() const { return m_out.size() - m_outSent; }
    boost::asio::awaitable<void> waitOn(boost::asio::steady_timer &signal);

    H2ConnectionCore *m_core; // null once the stream closed, or its connection went away
    const std::int32_t m_id;
    boost::asio::steady_timer m_readable; // a condition: cancel() wakes who waits
    boost::asio::steady_timer m_writable;
    // Received.
    Headers m_head;
    bool m_headSeen = false;
    Headers m_trailers;
    std::deque<std::string> m_in;
    std::size_t m_inBytes = 0; // buffered in m_in
    std::size_t m_handedOut = 0; // the last chunk read(), not yet given back to the window
    bool m_inEnded = false;
    // Sent.
    bool m_responded = false;
    std::string m_out; // DATA not yet framed, from m_outSent on
    std::size_t m_outSent = 0;
    bool m_outFinished = false;
    Headers m_outTrailers;
    bool m_endSent = false;
    bool m_stopPeerAfterEnd = false;
    // Both.
    bool m_closed = false;
    std::uint32_t m_closeCode = 0;
    bool m_lost = false;
    bool m_active = true;
    std::function<void()> m_whenClosed;
};

} // namespace meshcore::proxy::h2
