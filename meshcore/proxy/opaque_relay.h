#pragma once

// Opaque TCP between two streams, plain or TLS, both ways at once: what the client sent before
// (detection's bytes) first, then chunks of up to 64 KiB as they come. An end of stream on one
// side becomes a send shutdown on the other (FIN, or TLS close_notify), and the other direction
// goes on: a client that half-closes still reads the whole reply. A socket error on either side
// resets both; after an idle time with no byte either way (or on drain) both sides are closed as
// cleanly as an end of stream. The relay never closes a socket: its owner does, once run() is
// done.
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

#include "proxy/end_sending.h"
#include "proxy/errno_name.h"
#include "proxy/workers.h"
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

    // Ends the relay as the idle timeout does (the worker drains). Thread: the relay's.
    void stop()
    {
        m_stopAsked = true;
        m_wake.cancel();
    }

    // Relays until both directions ended, or one failed, or the relay was idle for `idle` (or
    // stopped): then each side's sending half is closed (FIN, close_notify), and a side that does
    // not close its own within 2 s is reset.
    asio::awaitable<RelayEnd> run()
    {
        const auto executor = m_down.get_executor();
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
        asio::co_spawn(executor, pump(m_down, m_up, m_toUp, &m_already, true), ended);
        asio::co_spawn(executor, pump(m_up, m_down, m_toDown, nullptr, false), ended);
        while (m_running > 0) {
            m_wake.expires_at(wakeAt());
            beast::error_code ec;
            co_await m_wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
            if (m_running == 0)
                break;
            const auto now = std::chrono::steady_clock::now();
            // Reset: a side that never closed its half, or a stop while bytes flow (no clean end
            // can be told of them).
            const bool resetNow
                = m_closing ? now >= m_closeBy : m_stopAsked && now < m_last + Quiet;
            if (m_ending) // an operation begun after the cancel (an SSL read's next socket read)
                cancelBoth();
            else if (resetNow)
                fail({});
            else if (!m_closing && (m_stopAsked || now >= m_last + m_idle))
                co_await closeGracefully();
        }
        m_end.fromDown = m_toUp.bytes;
        m_end.fromUp = m_toDown.bytes;
        co_return m_end;
    }

private:
    // One direction's state: what it carried, whether a write is under way, whether the sending
    // half of its destination was closed.
    struct Direction {
        std::uint64_t bytes = 0;
        bool writing = false;
        bool ended = false;
    };

    std::chrono::steady_clock::time_point wakeAt() const
    {
        const auto now = std::chrono::steady_clock::now();
        if (m_ending)
            return now + std::chrono::milliseconds(100);
        if (m_closing)
            return m_closeBy;
        return m_stopAsked ? now : m_last + m_idle;
    }

    template <class To> asio::awaitable<void> endDirection(Direction &direction, To &to)
    {
        if (m_ending || direction.ended || direction.writing)
            co_return; // resetting; or a write under way: its pump ends the half once it is done
        direction.ended = true;
        co_await endSending(to);
    }

    // Idle or stopped: the sending halves close, the peers close theirs, the pumps see the ends.
    asio::awaitable<void> closeGracefully()
    {
        m_end.idle = !m_stopAsked;
        m_closing = true;
        m_closeBy = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        co_await endDirection(m_toUp, m_up);
        co_await endDirection(m_toDown, m_down);
    }

    template <class From, class To>
    asio::awaitable<void> pump(From &from, To &to, Direction &direction, beast::flat_buffer *first,
                               bool fromDown)
    {
        if (first && first->size() > 0 && !co_await write(to, direction, first->data(), fromDown))
            co_return;
        if (first)
            first->consume(first->size());
        const auto chunk = std::make_unique<char[]>(ChunkBytes);
        for (;;) {
            beast::error_code ec;
            const auto n
                = co_await from.async_read_some(asio::buffer(chunk.get(), ChunkBytes),
                                                asio::redirect_error(asio::use_awaitable, ec));
            if (m_ending)
                co_return; // (a read that completed as the relay was stopped)
            if (n > 0 && m_closing) {
                fail({}); // bytes after the close began: they cannot be carried any more
                co_return;
            }
            if (n > 0 && !co_await write(to, direction, asio::buffer(chunk.get(), n), fromDown))
                co_return;
            if (ec == asio::error::eof) {
                co_await endDirection(direction, to);
                co_return;
            }
            if (ec) {
                fail(ec);
                co_return;
            }
        }
    }

    // Writes `bytes` whole; false when the relay is to end.
    template <class To>
    asio::awaitable<bool> write(To &to, Direction &direction, asio::const_buffer bytes,
                                bool fromDown)
    {
        beast::error_code ec;
        direction.writing = true;
        const auto sent
            = co_await asio::async_write(to, bytes, asio::redirect_error(asio::use_awaitable, ec));
        direction.writing = false;
        direction.bytes += sent;
        if (m_edge && sent > 0)
            m_edge->carried(std::chrono::system_clock::now(), fromDown, sent);
        m_last = std::chrono::steady_clock::now();
        if (m_ending)
            co_return false;
        if (ec) {
            fail(ec);
            co_return false;
        }
        if (m_closing) // the close began while this write was under way: the pump reads on, and
            co_await endDirection(direction, to); // a byte more from its source is a reset
        co_return true;
    }

    // The first failure ends the relay: both sides are reset, so neither takes what it got for
    // the whole stream. (A TLS peer gone without close_notify is `stream_truncated`: EIO.)
    void fail(const beast::error_code &ec)
    {
        if (m_ending)
            return; // the end already began; what fails now is its consequence
        m_ending = true;
        m_end.failed = true;
        m_end.errnoName = errnoName(ec);
        if (m_end.errnoName.empty())
            m_end.errnoName = "EIO";
        for (auto *socket :
             {&beast::get_lowest_layer(m_down).socket(), &beast::get_lowest_layer(m_up).socket()}) {
            beast::error_code ignored;
            socket->set_option(asio::socket_base::linger(true, 0), ignored);
            // Sends nothing, and ends every later read at once.
            socket->shutdown(asio::ip::tcp::socket::shutdown_receive, ignored);
        }
        cancelBoth();
    }

    // Stops the operations under way without closing the sockets: their owners close them, after
    // the meters that read them (ConnectionMeter); with linger 0 the close sends only the RST.
    void cancelBoth()
    {
        beast::error_code ignored;
        beast::get_lowest_layer(m_down).socket().cancel(ignored);
        beast::get_lowest_layer(m_up).socket().cancel(ignored);
    }

    static constexpr std::size_t ChunkBytes = std::size_t {64} * 1024;
    // Stopped with a byte moved this recently, the relay resets rather than closes.
    static constexpr std::chrono::milliseconds Quiet {100};
    Down &m_down;
    beast::flat_buffer &m_already;
    Up &m_up;
    const std::chrono::steady_clock::duration m_idle;
    asio::steady_timer m_wake; // the idle watch, woken early when both directions end
    std::chrono::steady_clock::time_point m_last;
    std::chrono::steady_clock::time_point m_closeBy;
    int m_running = 0;
    bool m_stopAsked = false;
    bool m_closing = false; // closing gracefully (idle, stopped)
    bool m_ending = false; // failed: resetting
    Direction m_toUp;
    Direction m_toDown;
    RelayEnd m_end;
    telemetry::TcpEdgeStats *m_edge = nullptr;
};

// Stops `relay` when `worker` drains, for as long as it lives.
template <class Relay> class StopOnDrain final : public WorkerResident {
public:
    StopOnDrain(Worker &worker, Relay &relay)
        : m_worker(worker)
        , m_relay(relay)
    {
        m_worker.addResident(*this);
        if (m_worker.draining()) // the drain began while the relay was being set up
            m_relay.stop();
    }
    ~StopOnDrain() { m_worker.removeResident(*this); }
    StopOnDrain(const StopOnDrain &) = delete;
    StopOnDrain &operator=(const StopOnDrain &) = delete;
    void releaseConnections() override { m_relay.stop(); }

private:
    Worker &m_worker;
    Relay &m_relay;
};

} // namespace meshcore::proxy
