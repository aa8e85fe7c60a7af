#include "proxy/h2/h2_stream.h"

#include <algorithm>
#include <cstring>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "proxy/h2/h2_connection_core.h"

namespace meshcore::proxy::h2 {

namespace asio = boost::asio;

H2Stream::H2Stream(H2ConnectionCore &core, std::int32_t id, const asio::any_io_executor &executor)
    : m_core(&core)
    , m_id(id)
    , m_readable(executor, asio::steady_timer::time_point::max())
    , m_writable(executor, asio::steady_timer::time_point::max())
{
}

asio::awaitable<void> H2Stream::waitOn(asio::steady_timer &signal)
{
    boost::system::error_code ignored; // cancel() is the signal
    co_await signal.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

asio::awaitable<bool> H2Stream::waitHead()
{
    while (!m_headSeen && !m_closed)
        co_await waitOn(m_readable);
    co_return m_headSeen;
}

asio::awaitable<BodyChunk> H2Stream::read()
{
    if (m_handedOut > 0 && m_core && !m_closed) {
        m_core->session().consumeStream(m_id, m_handedOut);
        m_core->wake();
    }
    m_handedOut = 0;
    while (m_in.empty() && !m_inEnded && !m_closed)
        co_await waitOn(m_readable);
    BodyChunk chunk;
    if (!m_in.empty()) {
        chunk.bytes = std::move(m_in.front());
        m_in.pop_front();
        m_inBytes -= chunk.bytes.size();
        m_active = true;
        if (!m_closed) // else all was given back when it closed
            m_handedOut = chunk.bytes.size();
        co_return chunk;
    }
    chunk.end = m_inEnded;
    chunk.reset = !m_inEnded;
    co_return chunk;
}

Result<void> H2Stream::respond(const Headers &head, bool endStream)
{
    if (!m_core || m_closed)
        return makeError(ErrorCode::Protocol, "HTTP/2: the stream is closed");
    if (m_responded)
        return makeError(ErrorCode::Internal, "HTTP/2: the stream was already answered");
    auto submitted = m_core->session().submitResponse(m_id, head, !endStream);
    if (!submitted)
        return submitted;
    m_responded = true;
    m_outFinished = endStream;
    m_active = true;
    m_core->wake();
    return {};
}

asio::awaitable<bool> H2Stream::write(std::string_view bytes)
{
    if (!m_core || m_closed || m_outFinished)
        co_return false;
    m_out.append(bytes);
    bodyReady();
    const auto window = static_cast<std::size_t>(m_core->limits().streamWindow);
    while (!m_closed && unsent() > window)
        co_await waitOn(m_writable);
    co_return !m_closed;
}

void H2Stream::writeNow(std::string_view bytes)
{
    if (!m_core || m_closed || m_outFinished)
        return;
    m_out.append(bytes);
    bodyReady();
}

void H2Stream::whenClosed(std::function<void()> then)
{
    if (m_closed) {
        if (then)
            then();
        return;
    }
    m_whenClosed = std::move(then);
}

void H2Stream::finish(Headers trailers)
{
    if (!m_core || m_closed || m_outFinished)
        return;
    m_outFinished = true;
    m_outTrailers = std::move(trailers);
    bodyReady();
}

void H2Stream::reset(H2Code code)
{
    if (!m_core || m_closed)
        return;
    m_core->session().resetStream(m_id, code);
    m_core->wake();
    // The session closes it once the RST_STREAM is out (closedWith()); nothing more is read or
    // sent from now on.
    closedWith(static_cast<std::uint32_t>(code), false);
}

void H2Stream::stopPeerAfterResponse()
{
    if (m_inEnded || m_closed)
        return;
    if (m_endSent)
        reset(H2Code::NoError);
    else
        m_stopPeerAfterEnd = true;
}

void H2Stream::endSent()
{
    m_endSent = true;
    if (m_stopPeerAfterEnd && !m_inEnded)
        reset(H2Code::NoError); // (submitting from the send callback is allowed)
}

void H2Stream::bodyReady()
{
    m_active = true;
    m_core->session().resumeBody(m_id);
    m_core->wake();
}

void H2Stream::receivedHead(HeadKind kind, Headers headers, bool endStream)
{
    m_active = true;
    switch (kind) {
    case HeadKind::Request:
    case HeadKind::Response:
        m_head = std::move(headers);
        m_headSeen = true;
        break;
    case HeadKind::Informational:
        return; // 1xx: the final response is still to come
    case HeadKind::Trailers:
        m_trailers = std::move(headers);
        break;
    }
    if (endStream)
        m_inEnded = true;
    m_readable.cancel();
}

void H2Stream::receivedData(std::string_view bytes)
{
    m_active = true;
    m_core->session().consumeConnection(bytes.size()); // the stream's window bounds it
    if (m_closed)
        return; // reset by this side: dropped
    // nghttp2 gives DATA in pieces of at most a frame; neighbours are merged, so that a chunk
    // read() gives is worth forwarding on its own.
    constexpr std::size_t Merge = std::size_t {16} * 1024;
    if (!m_in.empty() && m_in.back().size() + bytes.size() <= Merge)
        m_in.back().append(bytes);
    else
        m_in.emplace_back(bytes);
    m_inBytes += bytes.size();
    m_readable.cancel();
}

void H2Stream::receivedEnd()
{
    m_inEnded = true;
    m_readable.cancel();
}

void H2Stream::closedWith(std::uint32_t code, bool lost)
{
    if (m_closed)
        return;
    m_closed = true;
    m_closeCode = code;
    m_lost = lost;
    m_handedOut = 0; // (the connection's window had them back as they came)
    if (code != 0 && !m_inEnded) { // what was buffered is part of a message that will not end
        m_in.clear();
        m_inBytes = 0;
    }
    m_readable.cancel();
    m_writable.cancel();
    if (auto then = std::move(m_whenClosed))
        then();
}

BodyPiece H2Stream::produce(std::span<char> out)
{
    constexpr std::size_t Compact = std::size_t {64} * 1024;
    const auto n = std::min(out.size(), unsent());
    std::memcpy(out.data(), m_out.data() + m_outSent, n);
    m_outSent += n;
    if (m_outSent == m_out.size()) { // what was sent goes, so a long body costs one window
        m_out.clear();
        m_outSent = 0;
    } else if (m_outSent >= Compact) {
        m_out.erase(0, m_outSent);
        m_outSent = 0;
    }
    const auto window = static_cast<std::size_t>(m_core->limits().streamWindow);
    if (unsent() <= window)
        m_writable.cancel();
    if (unsent() > 0)
        return {n, BodyPiece::State::More};
    if (!m_outFinished)
        return {n, BodyPiece::State::Deferred};
    return {n, m_outTrailers.empty() ? BodyPiece::State::End : BodyPiece::State::EndWithTrailers};
}

bool H2Stream::idleSinceLastLook()
{
    return !std::exchange(m_active, false);
}

} // namespace meshcore::proxy::h2
