#pragma once

// Streaming HTTP/1.1 relay for the proxies, as Asio coroutines. Heads are parsed by Beast; bodies
// are framed by BodyReader and pass through the connection's read buffer, at most 64 KiB at a
// time, so a 1 GiB upload costs no more memory than a small one. Internal to proxy/.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <boost/asio/ip/tcp.hpp>

#include "proxy/body_framing.h"
#include "proxy/http_guard.h"
#include "proxy/http_head.h"

namespace meshcore::proxy {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

inline constexpr std::size_t MaxHeaderBytes = std::size_t {60} * 1024;
inline constexpr std::size_t MaxHeaderFields = 100;
inline constexpr std::size_t RelayChunkBytes = std::size_t {64} * 1024;
// Bodies are streamed, so they need no size limit. Not boost::none: Beast 1.74 compares a
// Content-Length against an empty optional as "over the limit" and refuses every such message.
inline constexpr std::uint64_t UnlimitedBody = std::numeric_limits<std::uint64_t>::max();

namespace detail {
inline std::string_view bufferedBytes(const beast::flat_buffer &buffer)
{
    const auto data = buffer.data();
    return {static_cast<const char *>(data.data()), data.size()};
}
} // namespace detail

enum class HeaderResult { Ok, Closed, Malformed, TooLarge };

struct HeaderRead {
    HeaderResult result = HeaderResult::Closed;
    std::string problem; // for Malformed
};

// Reads one message header into `parser`, checking the raw bytes first (obsolete line folding)
// and the framing after (docs/reliability.md, "HTTP/1.1 parsing"). The body, if any, stays unread.
template <class Stream, bool isRequest>
asio::awaitable<HeaderRead> readHeader(Stream &stream, beast::flat_buffer &buffer,
                                       http::parser<isRequest, http::buffer_body> &parser)
{
    beast::error_code ec;
    std::size_t headerEnd = 0;
    HeadScanner scanner(isRequest);
    for (std::size_t searched = 0;;) {
        auto seen = detail::bufferedBytes(buffer);
        // RFC 9112 2.2: empty lines before a request line are ignored (some clients send a CRLF
        // after a body); a lone CR may be the start of one.
        for (; isRequest && seen.starts_with("\r\n"); seen.remove_prefix(2), searched = 0)
            buffer.consume(2);
        const auto end = seen.find("\r\n\r\n", searched);
        const auto checked = seen.substr(0, end == std::string_view::npos ? seen.size() : end + 2);
        if (auto problem = isRequest && seen == "\r" ? std::nullopt : scanner.scan(checked))
            co_return HeaderRead {HeaderResult::Malformed, *problem}; // rare: a copy is fine
        if (end != std::string_view::npos) {
            headerEnd = end + 4;
            break;
        }
        if (seen.size() > MaxHeaderBytes)
            co_return HeaderRead {HeaderResult::TooLarge,
                                  "header section over " + std::to_string(MaxHeaderBytes / 1024)
                                      + " KiB"};
        searched = seen.size() >= 3 ? seen.size() - 3 : 0;
        const std::size_t n = co_await stream.async_read_some(
            buffer.prepare(std::size_t {16} * 1024), asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            co_return HeaderRead {buffer.size() == 0 ? HeaderResult::Closed
                                                     : HeaderResult::Malformed,
                                  "incomplete header"};
        buffer.commit(n);
    }
    const auto data = buffer.data();
    const std::string_view raw(static_cast<const char *>(data.data()), headerEnd);
    if (hasObsoleteLineFolding(raw))
        co_return HeaderRead {HeaderResult::Malformed, "obsolete line folding"};
    parser.header_limit(MaxHeaderBytes);
    const std::size_t used = parser.put(asio::buffer(data.data(), headerEnd), ec);
    if (ec || !parser.is_header_done())
        co_return HeaderRead {ec == http::error::header_limit ? HeaderResult::TooLarge
                                                              : HeaderResult::Malformed,
                              ec ? ec.message() : std::string("incomplete header")};
    buffer.consume(used);
    // docs/reliability.md: more than MaxHeaderFields fields is refused like an oversized section.
    if (std::distance(parser.get().begin(), parser.get().end())
        > static_cast<std::ptrdiff_t>(MaxHeaderFields))
        co_return HeaderRead {HeaderResult::TooLarge,
                              "more than " + std::to_string(MaxHeaderFields) + " header fields"};
    if (auto problem = framingProblem(parser.get().base()))
        co_return HeaderRead {HeaderResult::Malformed, *problem};
    co_return HeaderRead {HeaderResult::Ok, {}};
}

enum class RelayResult {
    Done, // the whole body went out
    InputFailed, // the sender went away, or its body ended early: `problem` says how
    InputMalformed, // the sender's framing is broken: `problem` says how; nothing of it went on
    OutputFailed, // the receiver went away
};

struct RelayOutcome {
    RelayResult result = RelayResult::Done;
    std::string problem;
    bool headWritten = false; // whether anything reached the receiver
};

namespace detail {
// Takes the body bytes in `buffer` that `body` accepts: how many, and (when `decode`) their
// payload appended to `decoded`.
inline std::size_t takeBuffered(const beast::flat_buffer &buffer, BodyReader &body, bool decode,
                                std::string &decoded)
{
    const auto bytes = bufferedBytes(buffer);
    std::size_t used = 0;
    std::string_view data;
    while (const std::size_t n = body.take(bytes.substr(used), data)) {
        if (decode)
            decoded.append(data);
        used += n;
    }
    return used;
}

// Writes `first` then `second` in one gather write. Empty pieces are left out: Beast's
// ssl_stream writes only the first buffer of a sequence over 16 KiB, and Asio's async_write
// ends, successfully, at the first write of 0 bytes: an empty first piece would send nothing.
template <class Out>
asio::awaitable<beast::error_code> writePieces(Out &out, std::string_view first,
                                               std::string_view second)
{
    beast::error_code ec;
    std::size_t written = 0;
    if (first.empty() || second.empty()) {
        const auto only = first.empty() ? second : first;
        written = co_await asio::async_write(out, asio::buffer(only),
                                             asio::redirect_error(asio::use_awaitable, ec));
    } else {
        const std::array<asio::const_buffer, 2> pieces {asio::buffer(first), asio::buffer(second)};
        written = co_await asio::async_write(out, pieces,
                                             asio::redirect_error(asio::use_awaitable, ec));
    }
    if (!ec && written != first.size() + second.size())
        ec = asio::error::connection_aborted;
    co_return ec;
}

// Room for one read: a relay chunk, within the buffer's maximum size.
inline std::size_t readRoom(const beast::flat_buffer &buffer)
{
    return std::min(RelayChunkBytes, buffer.max_size() - buffer.size());
}
} // namespace detail

// Sends `head` and then the body `body` frames from `in` (the bytes already in `buffer` first) to
// `out`, as they arrive: what one read brought goes on at once, so a stream of events is not held
// back, and the head leaves with the body bytes that came with it, in one write (a small message
// is one TLS record). The body's bytes are forwarded as they came, framing included, unless
// `decode`, which sends only the payload (a chunked body for an HTTP/1.0 client). Bytes after the
// body stay in `buffer`. A body cut short or badly framed is never completed on `out`: the caller
// must then close it without finishing the message.
template <class In, class Out>
asio::awaitable<RelayOutcome> relayBody(In &in, beast::flat_buffer &buffer, BodyReader &body,
                                        Out &out, std::string_view head, bool decode = false)
{
    RelayOutcome outcome;
    std::string decoded;
    beast::error_code ec;
    for (;;) {
        decoded.clear();
        const std::size_t used = detail::takeBuffered(buffer, body, decode, decoded);
        if (body.failed())
            co_return RelayOutcome {RelayResult::InputMalformed, body.problem(),
                                    outcome.headWritten};
        const auto payload
            = decode ? std::string_view(decoded) : detail::bufferedBytes(buffer).substr(0, used);
        if (!outcome.headWritten || !payload.empty()) {
            ec = co_await detail::writePieces(out, outcome.headWritten ? std::string_view() : head,
                                              payload);
            if (ec)
                co_return RelayOutcome {RelayResult::OutputFailed, ec.message(), true};
            outcome.headWritten = true;
        }
        buffer.consume(used);
        if (body.done())
            co_return outcome;
        const std::size_t n
            = co_await in.async_read_some(buffer.prepare(detail::readRoom(buffer)),
                                          asio::redirect_error(asio::use_awaitable, ec));
        buffer.commit(n);
        if (ec == asio::error::eof && n == 0) {
            if (body.finishAtEnd())
                co_return outcome;
            co_return RelayOutcome {RelayResult::InputFailed, body.problem(), true};
        }
        if (ec && n == 0)
            co_return RelayOutcome {RelayResult::InputFailed, ec.message(), true};
    }
}

// Reads a whole body of known, small size into `out` (its bytes as they came), so the message
// can be sent more than once (retries). Returns an empty string, or what went wrong.
template <class Stream>
asio::awaitable<std::string> readWholeBody(Stream &stream, beast::flat_buffer &buffer,
                                           BodyReader &body, std::string &out)
{
    beast::error_code ec;
    for (;;) {
        std::string ignored;
        const std::size_t used = detail::takeBuffered(buffer, body, false, ignored);
        out.append(detail::bufferedBytes(buffer).substr(0, used));
        buffer.consume(used);
        if (body.failed())
            co_return body.problem();
        if (body.done())
            co_return std::string();
        const std::size_t n
            = co_await stream.async_read_some(buffer.prepare(detail::readRoom(buffer)),
                                              asio::redirect_error(asio::use_awaitable, ec));
        buffer.commit(n);
        if (ec && n == 0) {
            if (ec == asio::error::eof && body.finishAtEnd())
                co_return std::string();
            co_return body.failed() ? body.problem() : ec.message();
        }
    }
}

// Writes `head` and `body` (read before by readWholeBody) to `out` in one write.
template <class Out>
asio::awaitable<beast::error_code> writeWhole(Out &out, std::string_view head,
                                              std::string_view body)
{
    co_return co_await detail::writePieces(out, head, body);
}

// Makes the coming close of `socket` a reset rather than an orderly end, so the peer cannot take
// a message cut short for a complete one (a body without Content-Length ends at an orderly
// close). The socket stays open (connection meters read it by descriptor until they go); the
// caller closes it without a shutdown first.
inline void resetOnClose(asio::ip::tcp::socket &socket)
{
    beast::error_code ignored;
    socket.set_option(asio::socket_base::linger(true, 0), ignored);
}

// RFC 9110 9.2.2: methods a client may send twice with the same effect.
inline bool isIdempotent(http::verb method)
{
    switch (method) {
    case http::verb::get:
    case http::verb::head:
    case http::verb::options:
    case http::verb::trace:
    case http::verb::put:
    case http::verb::delete_:
        return true;
    default:
        return false;
    }
}

// `Expect: 100-continue`: the proxy answers "100 Continue" itself and forwards the request
// without the expectation, so the client sends its body at once and no upstream interim response
// has to be relayed (as nginx does). Returns false if the client went away.
template <class Stream>
asio::awaitable<bool> answerExpectContinue(Stream &stream,
                                           http::request<http::buffer_body> &request)
{
    const std::string expect(request[http::field::expect]); // a copy: erase() frees the field
    if (expect.empty())
        co_return true;
    request.erase(http::field::expect);
    if (request.version() < 11 || !beast::iequals(expect, "100-continue"))
        co_return true;
    static constexpr std::string_view Continue = "HTTP/1.1 100 Continue\r\n\r\n";
    beast::error_code ec;
    co_await asio::async_write(stream, asio::buffer(Continue.data(), Continue.size()),
                               asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
}

// The proxy's own answer: a status, a header naming the cause (Linkerd's l5d-proxy-error), and a
// one-line body; the connection closes after it, unless `keepAlive` (the request was read whole:
// the runtime faults of inbound_fault.h). `cause` is taken by value: a coroutine keeps only
// references to what its caller passed by reference.
template <class Stream>
asio::awaitable<void> writeProxyError(Stream &stream, unsigned version, http::status status,
                                      std::string cause, bool keepAlive = false)
{
    // The cause can quote the peer's bytes: the header gets printable ASCII only.
    for (char &c : cause)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
            c = '?';
    http::response<http::string_body> response {status, version ? version : 11};
    response.set(http::field::server, "meshd");
    response.set("l5d-proxy-error", cause);
    response.set(http::field::content_type, "text/plain");
    response.keep_alive(keepAlive);
    response.body() = cause + "\n";
    response.prepare_payload();
    beast::error_code ec;
    co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
}

// Reads the next request header from a client. A malformed one is answered (400, or 431 when
// too large) and nothing is forwarded. True when there is a request to handle; false when the
// connection is done.
template <class Stream>
asio::awaitable<bool> readRequestOrRefuse(Stream &stream, beast::flat_buffer &buffer,
                                          http::request_parser<http::buffer_body> &request)
{
    request.body_limit(UnlimitedBody);
    auto header = co_await readHeader(stream, buffer, request);
    if (header.result == HeaderResult::Ok) {
        auto problem = requestHeadProblem(request.get());
        if (!problem)
            co_return true;
        header = HeaderRead {HeaderResult::Malformed, std::move(*problem)};
    }
    if (header.result != HeaderResult::Closed) {
        const auto status = header.result == HeaderResult::TooLarge
            ? http::status::request_header_fields_too_large
            : http::status::bad_request;
        std::string cause = "malformed request: " + header.problem; // (GCC 12: not a temporary)
        co_await writeProxyError(stream, 11, status, std::move(cause));
    }
    co_return false;
}

} // namespace meshcore::proxy
