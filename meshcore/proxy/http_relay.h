#pragma once

// Streaming HTTP/1.1 relay for the proxies, as Asio coroutines. Bodies pass through a fixed
// 64 KiB buffer, so a 1 GiB upload costs no more memory than a small one. Internal to proxy/.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

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

#include "proxy/http_guard.h"

namespace meshcore::proxy {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

inline constexpr std::size_t MaxHeaderBytes = 60 * 1024;
inline constexpr std::size_t MaxHeaderFields = 100;
inline constexpr std::size_t RelayChunkBytes = 64 * 1024;
// Bodies are streamed, so they need no size limit. Not boost::none: Beast 1.74 compares a
// Content-Length against an empty optional as "over the limit" and refuses every such message.
inline constexpr std::uint64_t UnlimitedBody = std::numeric_limits<std::uint64_t>::max();

enum class HeaderResult { Ok, Closed, Malformed, TooLarge };

struct HeaderRead {
    HeaderResult result = HeaderResult::Closed;
    std::string problem; // for Malformed
};

// Reads one message header into `parser`, checking the raw bytes first (obsolete line folding)
// and the framing after (RELIABILITY.md). The body, if any, stays unread.
template <class Stream, bool isRequest>
asio::awaitable<HeaderRead> readHeader(Stream &stream, beast::flat_buffer &buffer,
                                       http::parser<isRequest, http::buffer_body> &parser)
{
    beast::error_code ec;
    std::size_t headerEnd = 0;
    for (std::size_t searched = 0;;) {
        const auto data = buffer.data();
        const std::string_view seen(static_cast<const char *>(data.data()), data.size());
        if (const auto end = seen.find("\r\n\r\n", searched); end != std::string_view::npos) {
            headerEnd = end + 4;
            break;
        }
        if (seen.size() > MaxHeaderBytes)
            co_return HeaderRead{HeaderResult::TooLarge, "header section over " + std::to_string(MaxHeaderBytes / 1024) + " KiB"};
        searched = seen.size() >= 3 ? seen.size() - 3 : 0;
        const std::size_t n = co_await stream.async_read_some(buffer.prepare(16 * 1024),
                                                              asio::redirect_error(asio::use_awaitable, ec));
        if (ec)
            co_return HeaderRead{buffer.size() == 0 ? HeaderResult::Closed : HeaderResult::Malformed, "incomplete header"};
        buffer.commit(n);
    }
    const auto data = buffer.data();
    const std::string_view raw(static_cast<const char *>(data.data()), headerEnd);
    if (hasObsoleteLineFolding(raw))
        co_return HeaderRead{HeaderResult::Malformed, "obsolete line folding"};
    parser.header_limit(MaxHeaderBytes);
    const std::size_t used = parser.put(asio::buffer(data.data(), headerEnd), ec);
    if (ec || !parser.is_header_done())
        co_return HeaderRead{ec == http::error::header_limit ? HeaderResult::TooLarge : HeaderResult::Malformed,
                             ec ? ec.message() : std::string("incomplete header")};
    buffer.consume(used);
    // RELIABILITY.md: more than MaxHeaderFields fields is refused like an oversized section.
    if (std::distance(parser.get().begin(), parser.get().end()) > static_cast<std::ptrdiff_t>(MaxHeaderFields))
        co_return HeaderRead{HeaderResult::TooLarge, "more than " + std::to_string(MaxHeaderFields) + " header fields"};
    if (auto problem = framingProblem(parser.get().base()))
        co_return HeaderRead{HeaderResult::Malformed, *problem};
    co_return HeaderRead{HeaderResult::Ok, {}};
}

// The piece of memory a connection's bodies pass through; allocated once per connection and
// never zeroed (it is always written before it is read).
class RelayChunk {
public:
    RelayChunk() : m_data(new char[RelayChunkBytes]) {}
    char *data() { return m_data.get(); }
    static constexpr std::size_t size() { return RelayChunkBytes; }

private:
    std::unique_ptr<char[]> m_data;
};

// Moves the body bytes that already arrived with the header (still in `buffer`) into `chunk`,
// without waiting for more, and points the body at them. Returns a framing error, if any.
template <bool isRequest>
beast::error_code takeBufferedBody(http::parser<isRequest, http::buffer_body> &parser, beast::flat_buffer &buffer,
                                   RelayChunk &chunk)
{
    auto &body = parser.get().body();
    body.data = chunk.data();
    body.size = chunk.size();
    beast::error_code ec;
    while (!parser.is_done() && buffer.size() > 0 && body.size > 0) {
        const std::size_t used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (ec == http::error::need_more || ec == http::error::need_buffer)
            ec = {};
        if (ec || used == 0)
            break;
    }
    body.size = chunk.size() - body.size;
    body.data = body.size ? chunk.data() : nullptr;
    body.more = !parser.is_done();
    return ec;
}

// Writes the message held by `parser` to `out`, streaming its body from `in`. The header and
// whatever body came with it leave in one write: a small message is one TLS record, one segment.
template <class In, class Out, bool isRequest>
asio::awaitable<beast::error_code> relayMessage(In &in, beast::flat_buffer &buffer,
                                                http::parser<isRequest, http::buffer_body> &parser, Out &out,
                                                RelayChunk &chunk)
{
    beast::error_code ec = takeBufferedBody(parser, buffer, chunk);
    if (ec)
        co_return ec;
    http::serializer<isRequest, http::buffer_body> serializer{parser.get()};
    // No body bytes yet but more to come (a slow upload, a stream of events): the header goes
    // first, on its own, rather than waiting for them.
    serializer.split(parser.get().body().size == 0 && !parser.is_done());
    for (bool first = true; first || !parser.is_done() || !serializer.is_done(); first = false) {
        if (first) {
            // The body (or its start) is in place already.
        } else if (!parser.is_done()) {
            parser.get().body().data = chunk.data();
            parser.get().body().size = chunk.size();
            // read_some, not read: what arrived goes on at once (a stream of events must not
            // wait for 64 KiB to collect).
            co_await http::async_read_some(in, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
            if (ec == http::error::need_buffer)
                ec = {};
            if (ec)
                co_return ec;
            parser.get().body().size = chunk.size() - parser.get().body().size;
            parser.get().body().data = chunk.data();
            parser.get().body().more = !parser.is_done();
        } else {
            parser.get().body().data = nullptr;
            parser.get().body().size = 0;
            parser.get().body().more = false;
        }
        co_await http::async_write(out, serializer, asio::redirect_error(asio::use_awaitable, ec));
        if (ec == http::error::need_buffer)
            ec = {};
        if (ec)
            co_return ec;
    }
    co_return ec;
}

// Reads a request body of known, small length (`length` bytes, Content-Length) into `body`, so
// the request can be sent more than once (retries).
template <class Stream>
asio::awaitable<beast::error_code> readWholeBody(Stream &stream, beast::flat_buffer &buffer,
                                                 http::request_parser<http::buffer_body> &parser, std::size_t length,
                                                 std::string &body)
{
    body.resize(length);
    std::size_t filled = 0;
    beast::error_code ec;
    while (!parser.is_done()) {
        parser.get().body().data = body.data() + filled;
        parser.get().body().size = body.size() - filled;
        co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        if (ec == http::error::need_buffer)
            ec = {};
        if (ec)
            co_return ec;
        filled = body.size() - parser.get().body().size;
    }
    body.resize(filled);
    co_return ec;
}

// Writes `message`'s header with `body` (read before by readWholeBody) to `out`.
template <class Out>
asio::awaitable<beast::error_code> writeWithBody(Out &out, http::request<http::buffer_body> &message, std::string &body)
{
    message.body().data = body.empty() ? nullptr : body.data();
    message.body().size = body.size();
    message.body().more = false;
    http::serializer<true, http::buffer_body> serializer{message};
    beast::error_code ec;
    co_await http::async_write(out, serializer, asio::redirect_error(asio::use_awaitable, ec));
    if (ec == http::error::need_buffer)
        ec = {};
    co_return ec;
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
asio::awaitable<bool> answerExpectContinue(Stream &stream, http::request<http::buffer_body> &request)
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
// one-line body; the connection closes after it. `cause` is taken by value: a coroutine keeps
// only references to what its caller passed by reference.
template <class Stream>
asio::awaitable<void> writeProxyError(Stream &stream, unsigned version, http::status status, std::string cause)
{
    http::response<http::string_body> response{status, version ? version : 11};
    response.set(http::field::server, "meshd");
    response.set("l5d-proxy-error", cause);
    response.set(http::field::content_type, "text/plain");
    response.keep_alive(false);
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
    const auto header = co_await readHeader(stream, buffer, request);
    if (header.result == HeaderResult::Ok)
        co_return true;
    if (header.result != HeaderResult::Closed) {
        const auto status = header.result == HeaderResult::TooLarge ? http::status::request_header_fields_too_large
                                                                   : http::status::bad_request;
        co_await writeProxyError(stream, 11, status, "malformed request: " + header.problem);
    }
    co_return false;
}

} // namespace meshcore::proxy
