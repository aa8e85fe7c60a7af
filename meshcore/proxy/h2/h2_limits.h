#pragma once

// What one HTTP/2 connection may cost, on either side. The header limits are HTTP/1's
// (http_relay.h), so a request that fits one protocol fits the other. Memory per connection is
// bounded by the stream windows: a peer can have at most one stream window buffered per stream,
// since a stream's window reopens only as its bytes are forwarded. (The connection's window
// reopens as bytes arrive, so one stream's unread bytes never hold up the others.)

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace meshcore::proxy::h2 {

struct H2Limits {
    std::uint32_t maxConcurrentStreams = 100; // the peer's streams open at once
    std::size_t maxHeaderListBytes = std::size_t {60} * 1024; // name + value + 32 per field
    std::size_t maxHeaderFields = 100;
    std::int32_t streamWindow = 256 * 1024; // what a peer may send on one stream unread
    std::int32_t connectionWindow = 4 * 1024 * 1024; // and on all of them
    std::uint32_t maxFrameSize = 16 * 1024;
    std::size_t maxSettingsEntries = 32; // per SETTINGS frame
    std::chrono::seconds streamIdle {300}; // a stream with no frame either way is cancelled
    std::chrono::seconds writeStall {60}; // a peer that takes no byte for this long is dropped
    std::chrono::milliseconds drainNotice {1000}; // between the shutdown notice and the GOAWAY
    // A connection with no stream for this long is drained. A client's is shorter than its peer's,
    // so the client (which knows) closes first, as the HTTP/1 pools do.
    std::chrono::seconds clientIdle {50};
    std::chrono::seconds serverIdle {300};
};

// RFC 9113 7: the error codes of RST_STREAM and GOAWAY.
enum class H2Code : std::uint32_t {
    NoError = 0x0,
    ProtocolError = 0x1,
    InternalError = 0x2,
    FlowControlError = 0x3,
    SettingsTimeout = 0x4,
    StreamClosed = 0x5,
    FrameSizeError = 0x6,
    RefusedStream = 0x7,
    Cancel = 0x8,
    CompressionError = 0x9,
    ConnectError = 0xa,
    EnhanceYourCalm = 0xb,
    InadequateSecurity = 0xc,
    Http11Required = 0xd,
};

// "CANCEL", "REFUSED_STREAM"...; "UNKNOWN" for a code RFC 9113 does not name.
const char *h2CodeName(std::uint32_t code);

} // namespace meshcore::proxy::h2
