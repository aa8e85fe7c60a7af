#include "proxy/inbound_fault.h"
#include "core/service_key.h"

#include "proxy/http_relay.h"

namespace meshcore::proxy {
namespace {

// Reads and drops the body `body` frames from `in` (the bytes in `buffer` first), if it is at
// most `limit` bytes. True when the whole body was read and nothing after it was taken; false
// when it is larger, badly framed or cut short: then the connection cannot carry another request.
template <class Stream>
asio::awaitable<bool> dropBody(Stream &in, beast::flat_buffer &buffer, BodyReader &body,
                               std::uint64_t limit)
{
    if (body.framing().kind == BodyFraming::Length && body.framing().length > limit)
        co_return false;
    beast::error_code ec;
    std::uint64_t dropped = 0;
    for (;;) {
        std::string ignored;
        const std::size_t used = detail::takeBuffered(buffer, body, false, ignored);
        buffer.consume(used);
        dropped += used;
        if (body.failed() || dropped > limit)
            co_return false;
        if (body.done())
            co_return true;
        const std::size_t n
            = co_await in.async_read_some(buffer.prepare(detail::readRoom(buffer)),
                                          asio::redirect_error(asio::use_awaitable, ec));
        buffer.commit(n);
        if (ec && n == 0)
            co_return false;
    }
}

} // namespace

InboundFaults::InboundFaults(std::shared_ptr<const FaultSwitch> faultSwitch,
                             const WorkloadLabels &workload,
                             std::shared_ptr<telemetry::ProxyMetrics> metrics)
    : m_switch(std::move(faultSwitch))
    , m_cause("fault injected (version " + workload.version + " of "
              + qualifiedName(workload.service, workload.ns) + ")")
    , m_metrics(std::move(metrics))
    , m_labels {
          {"namespace", workload.ns}, {"deployment", workload.deployment}, {"pod", workload.pod}}
{
}

void InboundFaults::count(std::string_view kind) const
{
    auto labels = m_labels;
    labels.emplace_back("kind", std::string(kind));
    m_metrics->inboundFaultInjections.with(labels).inc(); // only while a fault is set: not cached
}

asio::awaitable<std::optional<bool>> injectVersionFault(const InboundFaults &faults,
                                                        const control::FaultConfig &fault,
                                                        Chance &chance, const MonotonicClock &clock,
                                                        InboundFaultRequest request)
{
    const auto draw = drawFault(fault, chance);
    if (draw.delay.count() > 0) {
        faults.count("delay");
        co_await clock.sleepFor(draw.delay);
    }
    if (!draw.abortStatus)
        co_return std::nullopt;
    faults.count("abort");
    request.meter.finished(*draw.abortStatus);
    const bool bodyRead
        = co_await dropBody(request.down, request.buffer, request.body, MaxDroppedBodyBytes);
    // (writeProxyError's body would follow a HEAD's answer as if it were the next response.)
    const bool goesOn = bodyRead && request.client.keepAlive && !request.client.draining
        && request.method != http::verb::head;
    co_await writeProxyError(request.down, request.client.version,
                             static_cast<http::status>(*draw.abortStatus), faults.cause(), goesOn);
    co_return goesOn;
}

} // namespace meshcore::proxy
