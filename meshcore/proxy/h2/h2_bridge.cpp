#include "proxy/h2/h2_bridge.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace meshcore::proxy::h2 {

namespace asio = boost::asio;

asio::awaitable<PumpEnd> pumpBody(std::shared_ptr<H2Stream> from, std::shared_ptr<H2Stream> to,
                                  std::string first, std::string *kept, std::size_t keepUpTo,
                                  bool *keptWhole)
{
    const auto keep = [&](std::string_view bytes) {
        if (!kept || (keptWhole && !*keptWhole))
            return;
        if (kept->size() + bytes.size() > keepUpTo) {
            kept->clear();
            if (keptWhole)
                *keptWhole = false;
            return;
        }
        kept->append(bytes);
    };
    if (!first.empty()) {
        keep(first);
        if (!co_await to->write(first))
            co_return PumpEnd::SinkClosed;
    }
    for (;;) {
        auto chunk = co_await from->read();
        if (chunk.reset) {
            to->reset(H2Code::Cancel);
            co_return PumpEnd::SourceReset;
        }
        if (chunk.end)
            break;
        keep(chunk.bytes);
        if (!co_await to->write(chunk.bytes))
            co_return PumpEnd::SinkClosed;
    }
    to->finish(forwardedHead(from->trailers()));
    co_return to->closed() && to->closeCode() != 0 ? PumpEnd::SinkClosed : PumpEnd::Whole;
}

RequestBody::RequestBody(std::shared_ptr<H2Stream> down, std::size_t keepUpTo)
    : m_down(std::move(down))
    , m_keepUpTo(keepUpTo)
{
}

bool RequestBody::none() const
{
    return m_started ? m_copy->kept.empty() && !m_copy->pumping
                     : m_down->peerEnded() && m_down->unreadBytes() == 0;
}

void RequestBody::sendTo(const asio::any_io_executor &executor, std::shared_ptr<H2Stream> up,
                         bool none)
{
    if (none)
        return;
    if (m_started) {
        up->writeNow(m_copy->kept);
        up->finish(forwardedHead(m_down->trailers()));
        return;
    }
    m_started = true;
    m_copy->pumping = true; // (before it runs: replayable() may be asked first)
    asio::co_spawn(executor, pump(m_down, std::move(up), m_copy, m_keepUpTo), asio::detached);
}

bool RequestBody::replayable() const
{
    return !m_copy->pumping && m_copy->keptWhole;
}

asio::awaitable<void> RequestBody::pump(std::shared_ptr<H2Stream> down,
                                        std::shared_ptr<H2Stream> up, std::shared_ptr<Copy> copy,
                                        std::size_t keepUpTo)
{
    std::string none;
    const auto end = co_await pumpBody(std::move(down), std::move(up), std::move(none), &copy->kept,
                                       keepUpTo, &copy->keptWhole);
    if (end != PumpEnd::Whole)
        copy->keptWhole = false; // cut short: what was kept is not the whole body
    copy->pumping = false;
}

asio::awaitable<PumpEnd> relayResponse(std::shared_ptr<H2Stream> up, std::shared_ptr<H2Stream> down)
{
    const bool whole = up->peerEnded() && up->unreadBytes() == 0 && up->trailers().empty();
    if (!down->respond(forwardedHead(up->head()), whole))
        co_return PumpEnd::SinkClosed;
    if (whole) {
        down->stopPeerAfterResponse();
        co_return PumpEnd::Whole;
    }
    std::string none;
    const auto end = co_await pumpBody(std::move(up), down, std::move(none));
    if (end == PumpEnd::Whole)
        down->stopPeerAfterResponse(); // answered before the client finished: it may stop
    co_return end;
}

bool wasRefused(const H2Stream &stream)
{
    return stream.closed() && !stream.connectionLost()
        && stream.closeCode() == static_cast<std::uint32_t>(H2Code::RefusedStream);
}

Headers forwardedHead(const Headers &head)
{
    return withoutConnectionFields(head);
}

void answerProxyError(H2Stream &stream, unsigned status, const std::string &cause, bool head)
{
    const Headers answer {{":status", std::to_string(status)},
                          {"content-type", "text/plain; charset=utf-8"},
                          {"l5d-proxy-error", cause}};
    if (head) {
        (void)stream.respond(answer, true);
    } else if (stream.respond(answer, false)) {
        stream.writeNow(cause + "\n");
        stream.finish();
    }
    stream.stopPeerAfterResponse(); // its body will not be read
}

} // namespace meshcore::proxy::h2
