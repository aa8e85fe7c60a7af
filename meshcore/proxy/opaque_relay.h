#pragma once

// Opaque TCP between two streams, plain or TLS, both ways at once: what the client sent before
// (detection's bytes) first, then chunks of up to 64 KiB as they come. An end of stream on one
// side becomes a send shutdown on the other (FIN, or TLS close_notify), and the other direction
// goes on: a client that half-closes still reads the whole reply. A socket error on either side
// resets both; an idle time with no byte either way shuts both down. The relay never closes a
// socket: its owner does, once run() is done.
//
// Between sidecars the stream is the hop's ALPN `meshscope.tcp/1`: the callee first connects to
// its workload and sends one status, a byte 0 when it is connected, else the length and the name
// of the errno it got ("\x0cECONNREFUSED") before it closes; then the relay's bytes. So a replica
// whose process is gone is a connect failure the caller's balancer hears, and the caller tries
// another replica before it has sent a byte. Internal to proxy/.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <string>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "proxy/errno_name.h"
#include "telemetry/tcp_edges.h"

namespace meshcore::proxy {

namespace asio = boost::asio;
namespace beast = boost::beast;

// How a relay ended.
struct RelayEnd {
    std::uint64_t fromDown = 0; // bytes carried from the first stream to the second
    std::uint64_t fromUp = 0; // and back
    bool idle = false; // closed for want of traffic
    bool failed = false; // a TLS or socket error ended it
    std::string errnoName; // of the socket error that ended it ("" when it ended cleanly)
};

namespace detail {

// Ends the sending half of `stream`, which keeps reading.
inline asio::awaitable<void> endSending(beast::tcp_stream &stream)
{
    beast::error_code ignored;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    co_return;
}

// TLS: a close_notify, with the pending read left alone. Asio's async_shutdown would write the
// close_notify and then read for the peer's; marking that one as received, for the moment its
// operation starts, has it only write (OpenSSL 3.0, Boost 1.74; tested in tst_opaque_relay).
// Nothing else may be written after it.
inline asio::awaitable<void> endSending(beast::ssl_stream<beast::tcp_stream> &stream)
{
    beast::error_code ec;
    auto token = asio::redirect_error(asio::use_awaitable, ec);
    co_await asio::async_initiate<decltype(token), void(beast::error_code)>(
        [&stream](auto handler) {
            SSL *ssl = stream.native_handle();
            const int before = SSL_get_shutdown(ssl);
            SSL_set_shutdown(ssl, before | SSL_RECEIVED_SHUTDOWN);
            stream.async_shutdown(std::move(handler));
            SSL_set_shutdown(ssl, before | SSL_SENT_SHUTDOWN);
        },
        token);
}

} // namespace detail

template <class Down, class Up> class OpaqueRelay {
public:
    OpaqueRelay(Down &down, beast::flat_buffer &already, Up &up,
                std::chrono::steady_clock::duration idle)
        : m_down(down)
        , m_already(already)
        , m_up(up)
        , m_idle(idle)
        , m_wake(down.get_executor())
    {
    }

    // Counts the bytes relayed into `edge` as they go (the topology's bytes per second).
    void meterInto(telemetry::TcpEdgeStats *edge) { m_edge = edge; }

    // Relays until both directions ended, or one failed, or the relay was idle for `idle`.
    asio::awaitable<RelayEnd> run()
    {
        auto executor = co_await asio::this_coro::executor;
        beast::get_lowest_layer(m_down).expires_never();
        beast::get_lowest_layer(m_up).expires_never();
        m_last = std::chrono::steady_clock::now();
        m_running = 2;
        const auto ended = [this](const std::exception_ptr &error) {
            if (error)
                fail({});
            if (--m_running == 0)
                m_wake.cancel();
        };
        asio::co_spawn(executor, pump(m_down, m_up, m_end.fromDown, &m_already, true), ended);
        asio::co_spawn(executor, pump(m_up, m_down, m_end.fromUp, nullptr, false), ended);
        while (m_running > 0) {
            m_wake.expires_at(m_last + m_idle);
            beast::error_code ec;
            co_await m_wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            if (m_running > 0 && !ec && !m_ending
                && std::chrono::steady_clock::now() >= m_last + m_idle) {
                m_end.idle = true;
                m_ending = true;
                close(false);
            }
        }
        co_return m_end;
    }

private:
    template <class From, class To>
    asio::awaitable<void> pump(From &from, To &to, std::uint64_t &count, beast::flat_buffer *first,
                               bool fromDown)
    {
        beast::error_code ec;
        if (first && first->size() > 0) {
            const auto sent = co_await asio::async_write(
                to, first->data(), asio::redirect_error(asio::use_awaitable, ec));
            count += sent;
            meter(fromDown, sent);
            first->consume(first->size());
            if (ec) {
                fail(ec);
                co_return;
            }
        }
        const auto chunk = std::make_unique<char[]>(ChunkBytes);
        for (;;) {
            const auto n
                = co_await from.async_read_some(asio::buffer(chunk.get(), ChunkBytes),
                                                asio::redirect_error(asio::use_awaitable, ec));
            if (m_ending)
                co_return; // (a read that completed as the relay was stopped)
            if (n > 0) {
                m_last = std::chrono::steady_clock::now();
                beast::error_code written;
                const auto sent = co_await asio::async_write(
                    to, asio::buffer(chunk.get(), n),
                    asio::redirect_error(asio::use_awaitable, written));
                count += sent;
                meter(fromDown, sent);
                m_last = std::chrono::steady_clock::now();
                if (m_ending)
                    co_return;
                if (written) {
                    fail(written);
                    co_return;
                }
            }
            if (ec == asio::error::eof) {
                if (!m_ending)
                    co_await detail::endSending(to);
                co_return;
            }
            if (ec) {
                fail(ec);
                co_return;
            }
        }
    }

    void meter(bool fromDown, std::size_t bytes)
    {
        if (m_edge && bytes > 0)
            m_edge->carried(std::chrono::system_clock::now(), fromDown, bytes);
    }

    // The first failure ends the relay: both sides are reset, so neither takes what it got for
    // the whole stream. (A TLS peer gone without close_notify is `stream_truncated`.)
    void fail(const beast::error_code &ec)
    {
        if (m_ending)
            return; // the end already began; what fails now is its consequence
        m_ending = true;
        m_end.failed = true;
        m_end.errnoName = errnoName(ec);
        close(true);
    }

    // Stops both sides without closing their sockets: their owners close them, after the meters
    // that read them (ConnectionMeter). Reset: no FIN first, so the close sends only the RST.
    void close(bool reset)
    {
        for (auto *socket :
             {&beast::get_lowest_layer(m_down).socket(), &beast::get_lowest_layer(m_up).socket()}) {
            beast::error_code ignored;
            if (reset)
                socket->set_option(asio::socket_base::linger(true, 0), ignored);
            else
                socket->shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
            socket->cancel(ignored);
        }
    }

    static constexpr std::size_t ChunkBytes = std::size_t {64} * 1024;
    Down &m_down;
    beast::flat_buffer &m_already;
    Up &m_up;
    const std::chrono::steady_clock::duration m_idle;
    asio::steady_timer m_wake; // the idle watch, woken early when both directions end
    std::chrono::steady_clock::time_point m_last;
    int m_running = 0;
    bool m_ending = false;
    RelayEnd m_end;
    telemetry::TcpEdgeStats *m_edge = nullptr;
};

} // namespace meshcore::proxy
