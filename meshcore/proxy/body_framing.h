#pragma once

// Where an HTTP/1.1 message body ends (RFC 9112 section 6), decided over the bytes as they
// arrive, in pieces of any size, without copying them. No Asio: the relay feeds it whatever one
// read brought and forwards exactly the bytes it accepted, so the bytes after a body (the next
// request of a keep-alive client, or a misbehaving upstream's extra bytes) are never sent on as
// part of this one. Internal to proxy/.

#include <cstdint>
#include <string>
#include <string_view>

namespace meshcore::proxy {

struct BodyFraming {
    enum Kind {
        None, // no body: GET without one, HEAD responses, 1xx, 204, 304
        Length, // Content-Length: `length` bytes
        Chunked, // Transfer-Encoding: chunked, trailers included
        UntilClose, // a response with neither: the body ends when the upstream closes
    };
    Kind kind = None;
    std::uint64_t length = 0;

    static BodyFraming none() { return {}; }
    static BodyFraming ofLength(std::uint64_t n)
    {
        return n == 0 ? BodyFraming {} : BodyFraming {Length, n};
    }
    static BodyFraming chunked() { return {Chunked, 0}; }
    static BodyFraming untilClose() { return {UntilClose, 0}; }
};

// Reads one message body's framing. `take(input)` returns how many leading bytes of `input`
// belong to the body (0 when it needs more bytes to decide, is done, or failed) and sets `data`
// to the payload they carry (for chunked bodies: the chunk data, without sizes, extensions and
// trailers; empty for framing bytes). Call it again with the rest until it returns 0.
//
// Chunked framing is strict, as docs/reliability.md asks of everything that could smuggle a
// request: a chunk size is hex digits, at most 16 after leading zeros (no sign, no "0x", no
// overflow), lines end in CRLF (a bare LF or CR is refused), extensions and trailer fields have no
// control characters, and a size line, or the trailer section, is bounded.
class BodyReader {
public:
    static constexpr std::size_t MaxLineBytes = 4096;
    static constexpr std::size_t MaxTrailerBytes = std::size_t {16} * 1024;

    explicit BodyReader(BodyFraming framing);

    std::size_t take(std::string_view input, std::string_view &data);
    // The input ended (the peer closed). Returns whether that completes the body: true for
    // UntilClose and for a body already done; false means the body was cut short.
    bool finishAtEnd();

    bool done() const { return m_state == State::Done; }
    bool failed() const { return m_state == State::Failed; }
    const std::string &problem() const { return m_problem; } // why it failed
    BodyFraming framing() const { return m_framing; }
    std::uint64_t payloadBytes() const { return m_payload; } // payload seen so far

private:
    enum class State { Data, SizeLine, DataEnd, Trailer, Done, Failed };

    std::size_t takeData(std::string_view input, std::string_view &data);
    std::size_t takeSizeLine(std::string_view input);
    std::size_t takeDataEnd(std::string_view input);
    std::size_t takeTrailerLine(std::string_view input);
    std::size_t fail(std::string problem);

    BodyFraming m_framing;
    State m_state = State::Data;
    std::uint64_t m_remaining = 0; // of the body (Length) or of the current chunk (Chunked)
    std::uint64_t m_payload = 0;
    std::size_t m_trailerBytes = 0;
    std::string m_problem;
};

// Finds the end of the line starting `input`: the index just past its CRLF, 0 when no complete
// line is there yet, or npos when the line is malformed (a bare LF, or a CR followed by something
// else). Shared with the start-line checks.
std::size_t crlfLineEnd(std::string_view input);

} // namespace meshcore::proxy
