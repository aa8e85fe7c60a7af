#pragma once

// What a proxy does between two HTTP/2 streams, the one it serves and the one it opened: bodies
// and trailers copied as they come, heads passed on, its own answers. Internal to proxy/.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "proxy/h2/h2_stream.h"

namespace meshcore::proxy::h2 {

enum class PumpEnd {
    Whole, // the body and its trailers went through, and `to` is finished
    SourceReset, // `from` was reset before its end: `to` is reset too (CANCEL)
    SinkClosed, // `to` closed first: the rest of `from` is left unread
};

// Copies `from`'s body, after `first` (bytes taken from it before), then its trailers, to `to`.
// Keeps a copy of what went in `kept`, as long as that stays within `keepUpTo` bytes (then
// `kept` is cleared and `*keptWhole` false): a request a retry may send again.
boost::asio::awaitable<PumpEnd> pumpBody(std::shared_ptr<H2Stream> from,
                                         std::shared_ptr<H2Stream> to, std::string first,
                                         std::string *kept = nullptr, std::size_t keepUpTo = 0,
                                         bool *keptWhole = nullptr);

// A request's body on its way to the peer, across tries: the first streams it from the client
// and keeps a copy while it stays within `keepUpTo` bytes, so another try (a retry, or a stream
// the peer refused) can send it again once the client has sent all of it.
class RequestBody {
public:
    RequestBody(std::shared_ptr<H2Stream> down, std::size_t keepUpTo);
    // Whether the next try's stream is opened with END_STREAM (no body to send).
    bool none() const;
    // Starts the body of `up`, the next try's stream, opened with END_STREAM when `none` (what
    // none() said before the open: the client may have ended its body since): the kept copy, or
    // the client's as it comes.
    void sendTo(const boost::asio::any_io_executor &executor, std::shared_ptr<H2Stream> up,
                bool none);
    // Whether another try can send the whole body again.
    bool replayable() const;

private:
    struct Copy {
        std::string kept;
        bool keptWhole = true;
        bool pumping = false;
    };
    static boost::asio::awaitable<void> pump(std::shared_ptr<H2Stream> down,
                                             std::shared_ptr<H2Stream> up,
                                             std::shared_ptr<Copy> copy, std::size_t keepUpTo);

    std::shared_ptr<H2Stream> m_down;
    std::size_t m_keepUpTo;
    std::shared_ptr<Copy> m_copy = std::make_shared<Copy>();
    bool m_started = false; // a try took the body from the client already
};

// Answers `down` with `up`'s response as it comes: its head (alone when it is the whole
// response, as a gRPC trailers-only one is), then its body and trailers; a client still sending
// its request is then told to stop (stopPeerAfterResponse).
boost::asio::awaitable<PumpEnd> relayResponse(std::shared_ptr<H2Stream> up,
                                              std::shared_ptr<H2Stream> down);

// Whether `stream` closed before any response because the peer never processed it
// (REFUSED_STREAM, or above a GOAWAY's last stream: RFC 9113 8.7), so it may go again.
bool wasRefused(const H2Stream &stream);

// A head as a proxy passes it on: pseudo-fields and the rest, without connection fields.
Headers forwardedHead(const Headers &head);

// The proxy's own answer on a server stream: `status`, `l5d-proxy-error: cause`, and the cause
// as a text body (none for HEAD). A client still sending is then told to stop.
void answerProxyError(H2Stream &stream, unsigned status, const std::string &cause,
                      bool head = false);

} // namespace meshcore::proxy::h2
