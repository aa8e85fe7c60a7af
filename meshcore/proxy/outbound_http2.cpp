#include "proxy/outbound_http2.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "proxy/balance.h"
#include "proxy/fault.h"
#include "proxy/h2/h2_bridge.h"
#include "proxy/h2/h2_client_pool.h"
#include "proxy/h2/h2_drain.h"
#include "proxy/http_relay.h"
#include "proxy/request_context.h"
#include "proxy/retry.h"
#include "proxy/route_match.h"
#include "proxy/unknown_destination.h"
#include "proxy/version_pin.h"

namespace meshcore::proxy {
namespace {

using h2::H2Code;
using h2::H2Stream;
using h2::Headers;
using DownConnection = h2::H2Connection<beast::tcp_stream>;
constexpr std::size_t MaxRetryableBody = std::size_t {64} * 1024; // as HTTP/1's
constexpr auto ExchangeLimit = std::chrono::seconds(300);

// What one client connection's streams share. They may outlive its session's frame by a moment
// (serveHttp2 waits for them), so they hold this, not the session.
struct H2Entry {
    H2Entry(OutboundSession &session, const EntryTarget &target)
        : worker(session.worker)
        , shared(session.shared)
        , entry(target)
        , series(shared.telemetry.metrics, shared.telemetry.workload, true)
        , allDone(worker.io(), asio::steady_timer::time_point::max())
    {
    }
    h2::H2ClientPool<TlsStream> &pool() { return *shared.h2Pools[worker.index()]; }
    const MonotonicClock &clock() const { return *shared.clock; }

    Worker &worker;
    OutboundShared &shared;
    const EntryTarget entry;
    OutboundSeries series; // its streams', at once: it keeps every series it made
    Chance chance;
    int streams = 0;
    asio::steady_timer allDone; // a condition: the last stream to end cancels it
};

bool isIdempotentMethod(std::string_view method)
{
    return method == "GET" || method == "HEAD" || method == "OPTIONS" || method == "PUT"
        || method == "DELETE" || method == "TRACE";
}

// Resets what is under way when the request's deadline passes: the attempt's stream upstream,
// and the client's stream once the response started (before that, the codec answers 504).
struct DeadlineWatch {
    explicit DeadlineWatch(const asio::any_io_executor &executor)
        : timer(executor)
    {
    }
    asio::steady_timer timer;
    std::weak_ptr<H2Stream> up;
    std::weak_ptr<H2Stream> down;
    bool responding = false;
    bool passed = false;
};

asio::awaitable<void> watchDeadline(std::shared_ptr<DeadlineWatch> watch)
{
    beast::error_code ec;
    co_await watch->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return; // cancelled: the request ended first
    watch->passed = true;
    if (auto up = watch->up.lock())
        up->reset(H2Code::Cancel);
    if (auto down = watch->down.lock(); down && watch->responding)
        down->reset(H2Code::Cancel);
}

// A new h2 connection to `endpoint`'s sidecar (mTLS, ALPN h2), for the pool.
asio::awaitable<h2::H2ClientPool<TlsStream>::Connected>
connectH2Endpoint(asio::any_io_executor executor, std::string key, const Endpoint &endpoint,
                  const WorkloadTls &tls, SteadyTime expiry)
{
    std::unique_ptr<TlsUpstream> upstream;
    auto failure = co_await connectEndpoint(upstream, std::move(executor), std::move(key), endpoint,
                                            tls, expiry, HopProtocol::Http2);
    if (failure.failed())
        co_return h2::H2ClientPool<TlsStream>::Connected {std::nullopt, std::move(failure)};
    co_return h2::H2ClientPool<TlsStream>::Connected {std::move(upstream->stream), {}};
}

// The outbound stack's HTTP/2 codec, for one stream of the client's connection.
class OutboundHttp2 {
public:
    OutboundHttp2(H2Entry &entry, OutboundSeries &series, std::shared_ptr<H2Stream> down,
                  const Destination &destination, const RequestTarget &target,
                  RequestContext &context)
        : m_entry(entry)
        , m_series(series)
        , m_down(std::move(down))
        , m_destination(destination)
        , m_target(target)
        , m_context(context)
        , m_method(h2::headerValue(m_down->head(), ":method"))
        , m_watch(std::make_shared<DeadlineWatch>(entry.worker.io().get_executor()))
        , m_body(m_down, MaxRetryableBody)
    {
        m_watch->down = m_down;
        if (m_context.deadline.bounded()) { // else a stream may last (gRPC's long-lived ones)
            m_watch->timer.expires_at(m_context.deadline.expiry(ExchangeLimit));
            asio::co_spawn(entry.worker.io(), watchDeadline(m_watch), asio::detached);
        }
    }
    ~OutboundHttp2()
    {
        m_watch->timer.cancel();
        m_down->whenClosed({});
    }
    OutboundHttp2(const OutboundHttp2 &) = delete;
    OutboundHttp2 &operator=(const OutboundHttp2 &) = delete;

    bool idempotent() const { return isIdempotentMethod(m_method); }
    void keepBodyFor(RetryPolicy &retries) { m_retries = &retries; }

    asio::awaitable<ForwardResult> sendTo(const Endpoint &endpoint);
    void discard()
    {
        if (m_up)
            m_up->reset(H2Code::Cancel);
        m_up.reset();
    }
    asio::awaitable<void> end(const ForwardResult &result);
    void end(const ProxyError &error)
    {
        m_context.finish(error.status, error.error);
        h2::answerProxyError(*m_down, error.status, error.cause, m_method == "HEAD");
    }

private:
    Headers upstreamHead() const
    {
        Headers head;
        for (auto &header : h2::forwardedHead(m_down->head())) {
            if (header.name == ":authority")
                header.value = m_target.authority;
            if (header.name != "l5d-client-id") // only an inbound proxy may say who called
                head.push_back(std::move(header));
        }
        return head;
    }
    // How the try ended, once its stream has a response head or was closed.
    ForwardResult responseHead(const Endpoint &endpoint);

    H2Entry &m_entry;
    OutboundSeries &m_series;
    std::shared_ptr<H2Stream> m_down;
    const Destination &m_destination;
    const RequestTarget &m_target;
    RequestContext &m_context;
    const std::string m_method;
    std::shared_ptr<DeadlineWatch> m_watch;
    RetryPolicy *m_retries = nullptr;
    h2::RequestBody m_body;
    std::shared_ptr<H2Stream> m_up;
    bool m_headed = false; // the try's stream has a response head
};

asio::awaitable<ForwardResult> OutboundHttp2::sendTo(const Endpoint &endpoint)
{
    m_context.startAttempt(
        m_series.endpoint(m_destination, endpoint, m_context.route.name, m_target.host));
    m_context.tap.via(endpoint.pod, endpoint.identity);
    auto tls = m_entry.shared.tls->client();
    if (!tls)
        co_return ForwardResult {ForwardResult::ConnectFailed,
                                 "this workload has no certificate yet"};
    // A renewed certificate is a new context: new connections, the old ones left to finish.
    const std::string key = endpoint.inbound.toString() + ' '
        + std::to_string(reinterpret_cast<std::uintptr_t>(tls.get()));
    const auto executor = m_entry.worker.io().get_executor();
    const auto expiry = m_context.deadline.expiry(ExchangeLimit);
    const auto &sharedTls = *m_entry.shared.tls;
    auto connect = [executor, key, &endpoint, &sharedTls, expiry]() {
        return connectH2Endpoint(executor, key, endpoint, sharedTls, expiry);
    };
    // A stream the peer refused was never processed: it goes again on another connection
    // (once), not counted against the replica.
    for (int tries = 0;; ++tries) {
        // (Named, not temporaries in the co_await: GCC 12 destroys those twice.)
        auto head = upstreamHead();
        const bool none = m_body.none();
        auto opened = co_await m_entry.pool().open(key, std::move(head), none, connect);
        if (!opened.stream)
            co_return ForwardResult {ForwardResult::ConnectFailed, opened.failure.why};
        m_up = std::move(opened.stream);
        m_watch->up = m_up;
        m_down->whenClosed([up = std::weak_ptr<H2Stream>(m_up)] { // the client went away
            if (auto stream = up.lock())
                stream->reset(H2Code::Cancel);
        });
        m_body.sendTo(executor, m_up, none);
        m_headed = co_await m_up->waitHead();
        if (m_headed || tries > 0 || !h2::wasRefused(*m_up) || !m_body.replayable()
            || m_watch->passed || m_down->closed())
            break;
    }
    co_return responseHead(endpoint);
}

ForwardResult OutboundHttp2::responseHead(const Endpoint &endpoint)
{
    // Another try needs the whole body, kept: the client has sent all of it, and it was small.
    if (m_retries && !m_body.replayable())
        m_retries->bodyNotReplayable();
    if (m_watch->passed)
        return ForwardResult {ForwardResult::TimedOut, "the deadline passed"};
    if (m_down->closed())
        return ForwardResult {ForwardResult::RequestFailed, "the client reset the stream"};
    if (m_headed) {
        const unsigned status = h2::statusOf(m_up->head());
        m_context.responseHeaderArrived();
        return ForwardResult {ForwardResult::Ok, {}, status};
    }
    if (h2::wasRefused(*m_up))
        return ForwardResult {ForwardResult::ConnectFailed, endpoint.pod + " refused the stream"};
    const std::string how = m_up->connectionLost()
        ? std::string("the connection was lost")
        : std::string("the stream was reset (") + h2::h2CodeName(m_up->closeCode()) + ")";
    return ForwardResult {ForwardResult::NoResponse,
                          "no response from " + endpoint.pod + ": " + how};
}

asio::awaitable<void> OutboundHttp2::end(const ForwardResult &result)
{
    if (result.kind == ForwardResult::RequestFailed) {
        discard(); // nobody to answer, nothing sure to record (as HTTP/1)
        co_return;
    }
    if (result.kind != ForwardResult::Ok) {
        const ProxyError error = proxyErrorOf(result, m_context);
        end(error);
        co_return;
    }
    m_watch->responding = true;
    const auto pumped = co_await h2::relayResponse(m_up, m_down);
    const bool whole = pumped == h2::PumpEnd::Whole && !m_watch->passed;
    m_context.finish(whole ? result.status : 502u, whole ? "" : "response-body");
    if (!whole)
        m_down->reset(H2Code::InternalError); // the client must not take it for a whole response
}

// One stream of the client's connection down the outbound stack (outboundRequest()'s twin).
asio::awaitable<void> outboundStream(std::shared_ptr<H2Entry> entry, std::shared_ptr<H2Stream> down)
{
    const auto &head = down->head();
    const auto method = h2::headerValue(head, ":method");
    const auto path = h2::headerValue(head, ":path");
    auto target = splitTarget(path, h2::headerValue(head, ":authority"));
    if (target && !entry->entry.service.empty())
        target->host = target->authority = entry->entry.service;
    if (!target || path.empty() || method == "CONNECT") {
        h2::answerProxyError(*down, 400, "request names no valid destination host");
        co_return;
    }
    auto &shared = entry->shared;
    auto &streamSeries = entry->series;
    const auto destination = shared.resolver(target->host);
    if (!destination || destination->endpoints.empty()) {
        const auto cause = recordUnknownDestination(shared.telemetry, streamSeries.common(),
                                                    *target, method, destination.get());
        h2::answerProxyError(*down, 503, cause, method == "HEAD");
        co_return;
    }
    TapRecord tap = streamSeries.tap(*destination, method, target->authority, target->path);
    RouteMatch route = matchRoute(*destination, method, target->path);
    RouteSeries &series = streamSeries.route(*destination, route.name, target->host);
    RequestContext context(entry->clock(), std::move(route), series, tap);
    OutboundHttp2 codec(*entry, streamSeries, down, *destination, *target, context);
    RetryPolicy retries(context.route.policy.retries, codec.idempotent(), *destination->retryBudget,
                        entry->chance);
    if (const auto fault = co_await injectFaults(context, entry->chance)) {
        codec.end(*fault);
        co_return;
    }
    codec.keepBodyFor(retries);
    const auto pins = destination->balancer->pins();
    const std::string pinned(pins ? pinnedVersion(*pins, head) : std::string_view());
    const auto &endpoints = destination->endpoints;
    const auto result = co_await withRetries(
        retries, context,
        [&] {
            return throughBalancer(
                *destination->balancer, entry->clock(),
                [&](std::size_t i) { return codec.sendTo(endpoints[i]); }, pinned);
        },
        [&] { codec.discard(); });
    co_await codec.end(result);
}

} // namespace

asio::awaitable<void> serveHttp2(OutboundSession &session, const EntryTarget &entry)
{
    auto state = std::make_shared<H2Entry>(session, entry);
    auto connection = DownConnection::server(
        std::move(session.down), {}, session.clock(), [state](std::shared_ptr<H2Stream> stream) {
            ++state->streams;
            asio::co_spawn(state->worker.io(), outboundStream(state, std::move(stream)),
                           [state](const std::exception_ptr & /*unused*/) {
                               if (--state->streams == 0)
                                   state->allDone.cancel();
                           });
        });
    if (!connection)
        co_return;
    session.h2 = *connection; // closed after the connection's meter is gone
    const h2::DrainWithWorker drain(session.worker, **connection);
    const std::string already(detail::bufferedBytes(session.downBuffer));
    session.downBuffer.consume(session.downBuffer.size());
    co_await (*connection)->run(already);
    while (state->streams > 0) {
        beast::error_code ignored;
        co_await state->allDone.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
}

} // namespace meshcore::proxy
