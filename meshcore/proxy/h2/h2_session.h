#pragma once

// One HTTP/2 connection's protocol state, without I/O: libnghttp2's session, which frames, checks
// (RFC 9113, HPACK, flow control, flood guards) and queues, behind calls that take and give bytes.
// Its owner reads the socket into receive() and writes what pendingOutput() gives; what arrives
// comes back through H2Events. The one place that knows nghttp2's API (docs/development.md,
// "HTTP/2 library"). Thread: one, the owner's.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"
#include "proxy/h2/h2_headers.h"
#include "proxy/h2/h2_limits.h"

struct nghttp2_session;

namespace meshcore::proxy::h2 {

enum class Role { Client, Server };

// What a received header block is.
enum class HeadKind {
    Request, // a server's
    Response, // a client's, the final one
    Informational, // a client's 1xx
    Trailers,
};

// What produceBody() gave.
struct BodyPiece {
    enum class State {
        More, // bytes, and more may follow
        Deferred, // nothing for now: resumeBody() once there is
        End, // the last bytes (maybe none): END_STREAM
        EndWithTrailers, // the last bytes, then takeTrailers()'s block with END_STREAM
        Failed, // the stream is to be reset
    };
    std::size_t bytes = 0;
    State state = State::Deferred;
};

// What the session tells its owner. Called from inside receive() and pendingOutput(): the owner
// records and returns, and submits nothing from here except through the session's own calls.
class H2Events {
public:
    virtual void onHeaders(std::int32_t id, HeadKind kind, Headers headers, bool endStream) = 0;
    virtual void onData(std::int32_t id, std::string_view bytes) = 0;
    virtual void onEndStream(std::int32_t id) = 0; // a DATA frame's END_STREAM
    virtual void onStreamClose(std::int32_t id, std::uint32_t code) = 0;
    virtual void onGoAway(std::int32_t lastId, std::uint32_t code) = 0;
    // This side's END_STREAM on `id` went out (DATA or HEADERS).
    virtual void onEndSent(std::int32_t id) = 0;
    // Fills `out` with the next bytes of the body submitted on `id`.
    virtual BodyPiece produceBody(std::int32_t id, std::span<char> out) = 0;
    virtual Headers takeTrailers(std::int32_t id) = 0;

protected:
    ~H2Events() = default;
};

class H2Session {
public:
    // Queues this side's SETTINGS (and, for a client, the connection preface).
    static Result<std::unique_ptr<H2Session>> create(Role role, H2Events &events,
                                                     const H2Limits &limits);
    ~H2Session();
    H2Session(const H2Session &) = delete;
    H2Session &operator=(const H2Session &) = delete;

    Role role() const { return m_role; }

    // Takes bytes read from the peer, all of them. An error is the connection's end: what
    // pendingOutput() gives after it (a GOAWAY) is still to be written.
    Result<void> receive(std::string_view bytes);
    // The next bytes to write, valid until the next call into the session; empty when none.
    std::string_view pendingOutput();
    // Whether the connection has more to do; when neither, it is to be closed.
    bool wantRead() const;
    bool wantWrite() const;

    // A request (client); its id. With `hasBody`, its DATA comes from produceBody().
    Result<std::int32_t> submitRequest(const Headers &head, bool hasBody);
    // The response on `id` (server). Without a body the stream ends with it (gRPC trailers-only).
    Result<void> submitResponse(std::int32_t id, const Headers &head, bool hasBody);
    // produceBody() has more for `id`.
    void resumeBody(std::int32_t id);
    void resetStream(std::int32_t id, H2Code code);
    // DATA was taken: the connection's window reopens as bytes arrive (so one stream's unread
    // bytes never hold up the others), a stream's as the application takes them.
    void consumeConnection(std::size_t bytes);
    void consumeStream(std::int32_t id, std::size_t bytes);

    // Server: "no new streams soon" (a GOAWAY with the highest id). Then goAway() ends it.
    void shutdownNotice();
    // No stream above the last one processed will be: the connection ends once those are done.
    void goAway(H2Code code);
    std::int32_t lastProcessedStream() const;
    bool goAwayReceived() const { return m_goAwayReceived; }

    // The peer's SETTINGS_MAX_CONCURRENT_STREAMS.
    std::uint32_t peerMaxConcurrentStreams() const;
    // Whether a client can still open streams (ids run out after 2^30 of them).
    bool streamIdsLeft() const;

private:
    friend struct SessionCallbacks;
    // The header block being received (HPACK blocks never interleave).
    struct Incoming {
        std::int32_t id = 0;
        Headers headers;
        std::size_t bytes = 0;
        bool tooLarge = false;
    };

    H2Session(Role role, H2Events &events, const H2Limits &limits);

    Role m_role;
    H2Events &m_events;
    H2Limits m_limits;
    nghttp2_session *m_session = nullptr;
    Incoming m_incoming;
    bool m_goAwayReceived = false;
    bool m_failed = false; // the library failed: nothing more can be done with the session
    std::string m_error; // the library's last word on a failure, for the Result
};

} // namespace meshcore::proxy::h2
