#include "proxy/protocol_detect.h"

#include <memory>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "proxy/http_chars.h"

namespace meshcore::proxy {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

constexpr std::string_view Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"; // RFC 9113 3.4

// Nothing yet, unless the line is already too long to wait for.
std::optional<Detected> needMore(std::string_view bytes)
{
    if (bytes.size() >= DetectBytes)
        return Detected::Opaque;
    return std::nullopt;
}

bool isTargetChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u != 0x7f;
}

// After the request line's method and target: "HTTP/1.0\r\n" or "HTTP/1.1\r\n".
std::optional<Detected> classifyVersion(std::string_view rest, std::string_view bytes)
{
    constexpr std::string_view Version = "HTTP/1.";
    for (std::size_t i = 0; i < rest.size(); ++i) {
        const char c = rest[i];
        bool fits = false;
        if (i < Version.size())
            fits = c == Version[i];
        else if (i == Version.size())
            fits = c == '0' || c == '1';
        else if (i == Version.size() + 1)
            fits = c == '\r';
        else
            return c == '\n' ? Detected::Http1 : Detected::Opaque;
        if (!fits)
            return Detected::Opaque;
    }
    return needMore(bytes);
}

} // namespace

std::optional<Detected> classifyFirstBytes(std::string_view bytes)
{
    if (bytes.empty())
        return std::nullopt;
    const auto prefix = std::min(bytes.size(), Preface.size());
    if (bytes.substr(0, prefix) == Preface.substr(0, prefix))
        return bytes.size() >= Preface.size() ? std::optional(Detected::Http2) : std::nullopt;
    std::size_t i = 0;
    while (i < bytes.size() && isTokenChar(bytes[i]))
        ++i;
    if (i == bytes.size())
        return needMore(bytes);
    if (i == 0 || bytes[i] != ' ')
        return Detected::Opaque;
    const std::size_t target = ++i;
    while (i < bytes.size() && isTargetChar(bytes[i]))
        ++i;
    if (i == bytes.size())
        return needMore(bytes);
    if (i == target || bytes[i] != ' ')
        return Detected::Opaque;
    return classifyVersion(bytes.substr(i + 1), bytes);
}

asio::awaitable<Detected> detectProtocol(beast::tcp_stream &down, beast::flat_buffer &buffer,
                                         std::chrono::steady_clock::duration timeout)
{
    // Beast's stream timeout would close the socket; this one only stops the read. The flag
    // outlives this frame, for a timer handler already queued when it ends.
    struct Watch {
        bool done = false;
        bool fired = false;
    };
    const auto watch = std::make_shared<Watch>();
    struct Finish {
        Watch &watch;
        ~Finish() { watch.done = true; }
    } const finish {*watch};
    asio::steady_timer timer(down.get_executor(), timeout);
    timer.async_wait([watch, &socket = down.socket()](const boost::system::error_code &ec) {
        if (ec || watch->done)
            return;
        watch->fired = true;
        boost::system::error_code ignored;
        socket.cancel(ignored);
    });
    down.expires_never();
    for (;;) {
        const auto data = buffer.cdata();
        const std::string_view bytes(static_cast<const char *>(data.data()), data.size());
        if (const auto detected = classifyFirstBytes(bytes))
            co_return *detected;
        beast::error_code ec;
        const auto n = co_await down.async_read_some(buffer.prepare(DetectBytes - bytes.size()),
                                                     asio::redirect_error(asio::use_awaitable, ec));
        buffer.commit(n);
        if (watch->fired) {
            const auto got = buffer.cdata();
            co_return classifyFirstBytes({static_cast<const char *>(got.data()), got.size()})
                .value_or(Detected::Opaque);
        }
        if (ec && buffer.size() == 0)
            co_return Detected::Closed;
        if (ec) // half-closed after a few bytes, or gone: what came is not HTTP
            co_return Detected::Opaque;
    }
}

} // namespace meshcore::proxy
