#pragma once

// An HTTP/2 connection without its socket: the session, its streams by id, and what the I/O
// pumps of H2Connection (h2_connection.h) need to know. Kept apart from the template so that the
// protocol's logic compiles once, and so that tests can drive it with bytes and times of their
// own. Thread: one, the connection's.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/result.h"
#include "proxy/h2/h2_session.h"
#include "proxy/h2/h2_stream.h"
#include "proxy/monotonic_clock.h"

namespace meshcore::proxy::h2 {

class H2ConnectionCore final : private H2Events {
public:
    // A server's new stream, once its request head arrived whole. Called after receive()'s
    // bytes were taken, never from inside the session.
    using StreamHandler = std::function<void(std::shared_ptr<H2Stream>)>;

    static Result<std::unique_ptr<H2ConnectionCore>>
    create(Role role, const H2Limits &limits, const boost::asio::any_io_executor &executor,
           StreamHandler onStream = {});
    ~H2ConnectionCore();
    H2ConnectionCore(const H2ConnectionCore &) = delete;
    H2ConnectionCore &operator=(const H2ConnectionCore &) = delete;

    Role role() const { return m_session->role(); }
    const H2Limits &limits() const { return m_limits; }

    // I/O. Bytes from the peer; an error ends the connection (done() is then true).
    Result<void> receive(std::string_view bytes);
    // Up to about `max` bytes to write, the session's frames back to back; empty when none.
    std::string takeOutput(std::size_t max);
    // Nothing is left to read or write: the connection is to be closed.
    bool done() const;
    // Waits until there may be output (or the connection ended); wake() ends the wait.
    boost::asio::awaitable<void> waitForOutput();
    void wake();
    // The socket failed or was closed: every stream ends as reset.
    void lost();

    // A client's request; its head goes with the next output. False from canOpen() when the
    // peer sent GOAWAY or as many streams are open as it allows.
    Result<std::shared_ptr<H2Stream>> open(const Headers &head, bool endStream);
    bool canOpen() const;
    std::size_t streamCount() const { return m_streams.size(); }
    bool goAwayReceived() const { return m_session->goAwayReceived(); }

    // Ends the connection gracefully: a server sends its shutdown notice now and the GOAWAY
    // drainNotice later (tick()), so requests already on the wire are still taken; a client sends
    // GOAWAY now. The connection is done once its streams are.
    void drain(SteadyTime now);
    bool draining() const { return m_draining; }
    // Housekeeping at `now`: the drain's GOAWAY; RST_STREAM(CANCEL) for a stream idle for
    // streamIdle (two looks apart, so a stream is cancelled after streamIdle to 2 x streamIdle);
    // a drain for a connection without a stream for clientIdle (serverIdle).
    void tick(SteadyTime now);

    // For H2Stream.
    H2Session &session() { return *m_session; }
    const boost::asio::any_io_executor &executor() const { return m_executor; }

private:
    H2ConnectionCore(const H2Limits &limits, const boost::asio::any_io_executor &executor,
                     StreamHandler onStream);
    H2Stream *find(std::int32_t id);

    void onHeaders(std::int32_t id, HeadKind kind, Headers headers, bool endStream) override;
    void onData(std::int32_t id, std::string_view bytes) override;
    void onEndStream(std::int32_t id) override;
    void onStreamClose(std::int32_t id, std::uint32_t code) override;
    void onGoAway(std::int32_t lastId, std::uint32_t code) override;
    void onEndSent(std::int32_t id) override;
    BodyPiece produceBody(std::int32_t id, std::span<char> out) override;
    Headers takeTrailers(std::int32_t id) override;

    H2Limits m_limits;
    boost::asio::any_io_executor m_executor;
    StreamHandler m_onStream;
    std::unique_ptr<H2Session> m_session;
    std::unordered_map<std::int32_t, std::shared_ptr<H2Stream>> m_streams;
    std::vector<std::shared_ptr<H2Stream>> m_accepted; // during receive(): for m_onStream
    boost::asio::steady_timer m_output; // a condition: cancel() wakes the writer
    bool m_failed = false;
    bool m_lost = false;
    bool m_draining = false;
    std::optional<SteadyTime> m_goAwayAt;
    std::optional<SteadyTime> m_lastIdleLook;
    std::optional<SteadyTime> m_emptySince; // no stream since
};

} // namespace meshcore::proxy::h2
