#pragma once

// An HTTP/2 connection over an Asio stream (plain TCP, or TLS between sidecars): H2ConnectionCore
// with its I/O. run() reads into the session and writes what it queues, the session's frames
// coalesced into writes of up to 64 KiB (one buffer: Beast's ssl_stream writes only the first
// of several over 16 KiB), and once a second looks after the drain, idle streams and a peer that
// takes no bytes. The connection owns its stream and closes it when destroyed; a ConnectionMeter
// on the socket must be gone by then (it reads TCP_INFO by descriptor). Thread: the stream's
// executor's, one.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <chrono>
#include <cstddef>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>

#include "proxy/end_sending.h"
#include "proxy/h2/h2_connection_core.h"
#include "proxy/monotonic_clock.h"

namespace meshcore::proxy::h2 {

namespace asio = boost::asio;
namespace beast = boost::beast;

template <class Stream>
class H2Connection : public std::enable_shared_from_this<H2Connection<Stream>> {
public:
    using StreamHandler = H2ConnectionCore::StreamHandler;

    static Result<std::shared_ptr<H2Connection>> server(Stream stream, const H2Limits &limits,
                                                        const MonotonicClock &clock,
                                                        StreamHandler onStream)
    {
        return make(std::move(stream), Role::Server, limits, clock, std::move(onStream));
    }
    static Result<std::shared_ptr<H2Connection>> client(Stream stream, const H2Limits &limits,
                                                        const MonotonicClock &clock)
    {
        return make(std::move(stream), Role::Client, limits, clock, {});
    }

    H2Connection(Stream stream, std::unique_ptr<H2ConnectionCore> core, const MonotonicClock &clock)
        : m_stream(std::move(stream))
        , m_core(std::move(core))
        , m_clock(clock)
        , m_finished(m_stream.get_executor(), asio::steady_timer::time_point::max())
        , m_tick(m_stream.get_executor())
    {
    }

    Stream &stream() { return m_stream; }
    H2ConnectionCore &core() { return *m_core; }
    // Why it ended, when it did not end cleanly ("" otherwise).
    const std::string &failure() const { return m_failure; }
    bool ended() const { return m_ended; }

    // Runs until the connection is done: both sides said all (GOAWAY, streams finished), or the
    // peer broke the protocol or went away. `already`: bytes read before (protocol detection's).
    asio::awaitable<void> run(std::string_view already = {})
    {
        auto self = this->shared_from_this();
        beast::get_lowest_layer(m_stream).expires_never();
        if (!already.empty())
            noteInput(m_core->receive(already));
        const auto executor = m_stream.get_executor();
        m_running = 3;
        const auto ended = [self](const std::exception_ptr &error) {
            if (error)
                self->end("HTTP/2: an internal error ended the connection");
            if (--self->m_running == 0)
                self->m_finished.cancel();
        };
        asio::co_spawn(executor, readPump(), ended);
        asio::co_spawn(executor, writePump(), ended);
        asio::co_spawn(executor, watch(), ended);
        while (m_running > 0) {
            beast::error_code ignored;
            co_await m_finished.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
        }
    }

    // A client's request (H2ConnectionCore::open).
    Result<std::shared_ptr<H2Stream>> open(const Headers &head, bool endStream)
    {
        return m_core->open(head, endStream);
    }
    void drain() { m_core->drain(m_clock.now()); }
    // Ends at once: every stream reset, the socket's operations cancelled.
    void abort(const std::string &why) { end(why); }

private:
    static Result<std::shared_ptr<H2Connection>> make(Stream stream, Role role,
                                                      const H2Limits &limits,
                                                      const MonotonicClock &clock,
                                                      StreamHandler &&onStream)
    {
        auto core
            = H2ConnectionCore::create(role, limits, stream.get_executor(), std::move(onStream));
        if (!core)
            return tl::unexpected(core.error());
        return std::make_shared<H2Connection>(std::move(stream), std::move(*core), clock);
    }

    void noteInput(const Result<void> &received)
    {
        if (!received && m_failure.empty())
            m_failure = received.error().message;
    }

    asio::awaitable<void> readPump()
    {
        const auto buffer = std::make_unique<char[]>(ReadBytes);
        while (!m_ended) {
            beast::error_code ec;
            const auto n
                = co_await m_stream.async_read_some(asio::buffer(buffer.get(), ReadBytes),
                                                    asio::redirect_error(asio::use_awaitable, ec));
            if (m_ended)
                break;
            // After our last frame (m_closing) what comes is read and dropped, until the peer's
            // end: closing with unread bytes would reset, and could destroy our GOAWAY.
            if (n > 0 && !m_closing)
                noteInput(m_core->receive({buffer.get(), n}));
            if (ec) {
                end(ec == asio::error::eof ? std::string {} : "HTTP/2: " + ec.message());
                break;
            }
        }
        m_core->wake();
    }

    asio::awaitable<void> writePump()
    {
        while (!m_ended) {
            const auto out = m_core->takeOutput(WriteBytes);
            if (!out.empty()) {
                m_writingSince = m_clock.now();
                m_writing = true;
                beast::error_code ec;
                co_await asio::async_write(m_stream, asio::buffer(out),
                                           asio::redirect_error(asio::use_awaitable, ec));
                m_writing = false;
                if (ec) {
                    end("HTTP/2: " + ec.message());
                    break;
                }
                continue;
            }
            if (m_core->done()) {
                // All said: a FIN (or close_notify) after the last frame; the reads go on until
                // the peer's end, or Linger.
                m_writingSince = m_clock.now();
                m_writing = true;
                co_await endSending(m_stream);
                m_writing = false;
                m_closing = true;
                m_closingSince = std::chrono::steady_clock::now();
                break;
            }
            co_await m_core->waitForOutput();
        }
    }

    asio::awaitable<void> watch()
    {
        while (!m_ended) {
            m_tick.expires_after(std::chrono::seconds(1));
            beast::error_code ignored;
            co_await m_tick.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
            if (m_ended)
                break;
            if (m_closing && std::chrono::steady_clock::now() - m_closingSince >= Linger) {
                end({});
                break;
            }
            const auto now = m_clock.now();
            if (m_writing && now - m_writingSince >= m_core->limits().writeStall) {
                end("HTTP/2: the peer took no bytes for "
                    + std::to_string(m_core->limits().writeStall.count()) + " s");
                break;
            }
            m_core->tick(now);
        }
    }

    void end(const std::string &why)
    {
        if (m_ended)
            return;
        m_ended = true;
        if (m_failure.empty())
            m_failure = why;
        m_core->lost();
        beast::error_code ignored;
        auto &socket = beast::get_lowest_layer(m_stream).socket();
        socket.cancel(ignored);
        m_tick.cancel();
    }

    static constexpr std::size_t ReadBytes = std::size_t {64} * 1024;
    // How long a closed connection waits for the peer's end (on the sockets' clock).
    static constexpr std::chrono::seconds Linger {1};
    static constexpr std::size_t WriteBytes = std::size_t {64} * 1024;
    Stream m_stream;
    std::unique_ptr<H2ConnectionCore> m_core;
    const MonotonicClock &m_clock;
    asio::steady_timer m_finished; // a condition: the last pump to end cancels it
    asio::steady_timer m_tick;
    int m_running = 0;
    bool m_ended = false;
    bool m_writing = false;
    SteadyTime m_writingSince {};
    bool m_closing = false; // our last frame and FIN are out
    std::chrono::steady_clock::time_point m_closingSince {};
    std::string m_failure;
};

} // namespace meshcore::proxy::h2
