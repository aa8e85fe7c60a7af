#include "proxy/h2/h2_connection_core.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace meshcore::proxy::h2 {

namespace asio = boost::asio;

H2ConnectionCore::H2ConnectionCore(const H2Limits &limits, const asio::any_io_executor &executor,
                                   StreamHandler onStream)
    : m_limits(limits)
    , m_executor(executor)
    , m_onStream(std::move(onStream))
    , m_output(executor, asio::steady_timer::time_point::max())
{
}

Result<std::unique_ptr<H2ConnectionCore>>
H2ConnectionCore::create(Role role, const H2Limits &limits, const asio::any_io_executor &executor,
                         StreamHandler onStream)
{
    std::unique_ptr<H2ConnectionCore> core(
        new H2ConnectionCore(limits, executor, std::move(onStream)));
    auto session = H2Session::create(role, *core, limits);
    if (!session)
        return tl::unexpected(session.error());
    core->m_session = std::move(*session);
    return core;
}

H2ConnectionCore::~H2ConnectionCore()
{
    lost(); // a stream its handler still holds must not reach back into a connection gone
}

H2Stream *H2ConnectionCore::find(std::int32_t id)
{
    const auto found = m_streams.find(id);
    return found == m_streams.end() ? nullptr : found->second.get();
}

Result<void> H2ConnectionCore::receive(std::string_view bytes)
{
    auto received = m_session->receive(bytes);
    if (!received)
        m_failed = true;
    auto accepted = std::move(m_accepted);
    m_accepted.clear();
    for (auto &stream : accepted)
        if (m_onStream && !stream->closed())
            m_onStream(std::move(stream));
    wake();
    return received;
}

std::string H2ConnectionCore::takeOutput(std::size_t max)
{
    std::string out;
    while (out.size() < max) {
        const auto frames = m_session->pendingOutput();
        if (frames.empty())
            break;
        out.append(frames);
    }
    return out;
}

bool H2ConnectionCore::done() const
{
    return m_failed || m_lost || (!m_session->wantRead() && !m_session->wantWrite());
}

asio::awaitable<void> H2ConnectionCore::waitForOutput()
{
    boost::system::error_code ignored; // wake() is the signal
    co_await m_output.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

void H2ConnectionCore::wake()
{
    m_output.cancel();
}

void H2ConnectionCore::lost()
{
    m_lost = true;
    auto streams = std::move(m_streams);
    m_streams.clear();
    for (auto &[id, stream] : streams) {
        stream->closedWith(static_cast<std::uint32_t>(H2Code::Cancel), true);
        stream->m_core = nullptr;
    }
    wake();
}

Result<std::shared_ptr<H2Stream>> H2ConnectionCore::open(const Headers &head, bool endStream)
{
    if (m_lost || m_failed)
        return makeError(ErrorCode::Io, "HTTP/2: the connection is closed");
    if (m_session->goAwayReceived() || m_draining)
        return makeError(ErrorCode::Busy, "HTTP/2: the connection is going away");
    auto id = m_session->submitRequest(head, !endStream);
    if (!id)
        return tl::unexpected(id.error());
    auto stream = std::make_shared<H2Stream>(*this, *id, m_executor);
    m_emptySince.reset();
    stream->m_outFinished = endStream;
    stream->m_responded = true; // (a request is its side's head)
    m_streams.emplace(*id, stream);
    wake();
    return stream;
}

bool H2ConnectionCore::canOpen() const
{
    return !m_lost && !m_failed && !m_draining && !m_session->goAwayReceived()
        && m_session->streamIdsLeft() && m_streams.size() < m_session->peerMaxConcurrentStreams();
}

void H2ConnectionCore::drain(SteadyTime now)
{
    if (m_draining)
        return;
    m_draining = true;
    if (role() == Role::Server) {
        m_session->shutdownNotice();
        m_goAwayAt = now + m_limits.drainNotice;
    } else {
        m_session->goAway(H2Code::NoError);
    }
    wake();
}

void H2ConnectionCore::tick(SteadyTime now)
{
    if (m_goAwayAt && now >= *m_goAwayAt) {
        m_goAwayAt.reset();
        m_session->goAway(H2Code::NoError);
    }
    if (!m_lastIdleLook)
        m_lastIdleLook = now;
    if (now - *m_lastIdleLook >= m_limits.streamIdle) {
        m_lastIdleLook = now;
        std::vector<std::shared_ptr<H2Stream>> idle;
        for (auto &[id, stream] : m_streams)
            if (stream->idleSinceLastLook())
                idle.push_back(stream);
        for (auto &stream : idle)
            stream->reset(H2Code::Cancel);
    }
    if (!m_streams.empty())
        m_emptySince.reset();
    else if (!m_emptySince)
        m_emptySince = now;
    const auto idleLimit = role() == Role::Client ? m_limits.clientIdle : m_limits.serverIdle;
    if (m_emptySince && now - *m_emptySince >= idleLimit)
        drain(now);
    wake();
}

void H2ConnectionCore::onHeaders(std::int32_t id, HeadKind kind, Headers headers, bool endStream)
{
    if (kind == HeadKind::Request) {
        m_emptySince.reset();
        auto stream = std::make_shared<H2Stream>(*this, id, m_executor);
        stream->receivedHead(kind, std::move(headers), endStream);
        m_streams.emplace(id, stream);
        m_accepted.push_back(std::move(stream));
        return;
    }
    if (auto *stream = find(id))
        stream->receivedHead(kind, std::move(headers), endStream);
}

void H2ConnectionCore::onData(std::int32_t id, std::string_view bytes)
{
    if (auto *stream = find(id))
        stream->receivedData(bytes);
    else // a stream refused or forgotten: its bytes only go back to the connection's window
        m_session->consumeConnection(bytes.size());
}

void H2ConnectionCore::onEndStream(std::int32_t id)
{
    if (auto *stream = find(id))
        stream->receivedEnd();
}

void H2ConnectionCore::onStreamClose(std::int32_t id, std::uint32_t code)
{
    const auto found = m_streams.find(id);
    if (found == m_streams.end())
        return;
    auto stream = std::move(found->second);
    m_streams.erase(found);
    stream->closedWith(code, false);
    stream->m_core = nullptr;
}

void H2ConnectionCore::onGoAway(std::int32_t /*lastId*/, std::uint32_t /*code*/)
{
    // nghttp2 closes the streams above lastId itself, as REFUSED_STREAM: never processed, so a
    // caller may retry them elsewhere (RFC 9113 8.7).
    wake();
}

void H2ConnectionCore::onEndSent(std::int32_t id)
{
    if (auto *stream = find(id))
        stream->endSent();
}

BodyPiece H2ConnectionCore::produceBody(std::int32_t id, std::span<char> out)
{
    auto *stream = find(id);
    return stream ? stream->produce(out) : BodyPiece {0, BodyPiece::State::Failed};
}

Headers H2ConnectionCore::takeTrailers(std::int32_t id)
{
    auto *stream = find(id);
    return stream ? stream->takeTrailers() : Headers {};
}

} // namespace meshcore::proxy::h2
