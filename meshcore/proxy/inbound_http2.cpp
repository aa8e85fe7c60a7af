#include "proxy/inbound_http2.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "proxy/h2/h2_bridge.h"
#include "proxy/h2/h2_client_pool.h"
#include "proxy/h2/h2_drain.h"

namespace meshcore::proxy {
namespace {

using h2::H2Code;
using h2::H2Stream;
using h2::Headers;
using TlsDown = beast::ssl_stream<beast::tcp_stream>;
using DownConnection = h2::H2Connection<TlsDown>;
using WorkloadPool = h2::H2ClientPool<beast::tcp_stream>;
constexpr auto ConnectTimeout = std::chrono::seconds(10);
constexpr std::size_t MaxReplayedBody = std::size_t {64} * 1024; // kept for a refused stream

// What one caller connection's streams share; they hold it, so it lives as long as the last.
struct H2Inbound {
    H2Inbound(Worker &w, std::shared_ptr<InboundShared> s, std::string identity,
              telemetry::Labels labels)
        : worker(w)
        , shared(std::move(s))
        , client(std::move(identity))
        , common(std::move(labels))
        , allDone(worker.io(), asio::steady_timer::time_point::max())
    {
    }
    WorkloadPool &pool() { return *shared->h2Pools[worker.index()]; }

    Worker &worker;
    std::shared_ptr<InboundShared> shared;
    const std::string client; // the caller's identity, from its certificate
    const telemetry::Labels common;
    InboundRoutes routes;
    int streams = 0;
    asio::steady_timer allDone; // a condition: the last stream to end cancels it
};

asio::awaitable<WorkloadPool::Connected> connectWorkloadH2(asio::any_io_executor executor,
                                                           std::uint16_t port)
{
    std::unique_ptr<PlainUpstream> upstream;
    const auto expiry = std::chrono::steady_clock::now() + ConnectTimeout;
    auto failure = co_await connectWorkload(upstream, std::move(executor), port, expiry);
    if (failure.failed())
        co_return WorkloadPool::Connected {std::nullopt, std::move(failure)};
    co_return WorkloadPool::Connected {std::move(upstream->stream), {}};
}

// The head as it goes to the workload: who called, said by this proxy only.
Headers workloadHead(const Headers &head, const std::string &client)
{
    Headers out;
    for (auto &header : h2::forwardedHead(head))
        if (header.name != "l5d-client-id")
            out.push_back(std::move(header));
    out.push_back({"l5d-client-id", client});
    return out;
}

asio::awaitable<void> inboundStream(std::shared_ptr<H2Inbound> in, std::shared_ptr<H2Stream> down)
{
    const auto &head = down->head();
    const auto method = h2::headerValue(head, ":method");
    const auto path = h2::headerValue(head, ":path");
    auto labels = in->common;
    labels.emplace_back("authority",
                        std::string(authorityLabel(h2::headerValue(head, ":authority"))));
    labels.emplace_back("route", in->routes.label(in->shared->telemetry, method, path));
    // The stream's own series (not a connection's cache, which other streams may clear).
    RequestSeries series(*in->shared->telemetry.metrics, labels);
    RequestMeter meter(series);
    const auto executor = in->worker.io().get_executor();
    auto connect = [executor, port = in->shared->workloadPort]() {
        return connectWorkloadH2(executor, port);
    };
    h2::RequestBody body(down, MaxReplayedBody);
    std::shared_ptr<H2Stream> up;
    bool headed = false;
    // A stream the workload refused (nginx's GOAWAY after keepalive_requests, say) was never
    // processed: it goes again, once, on another connection.
    for (int tries = 0; tries < 2 && !headed; ++tries) {
        // (Named, not temporaries in the co_await: GCC 12 destroys those twice.)
        std::string key; // one workload: one peer
        auto upHead = workloadHead(head, in->client);
        const bool none = body.none();
        auto opened = co_await in->pool().open(std::move(key), std::move(upHead), none, connect);
        if (!opened.stream) {
            meter.finished(502);
            h2::answerProxyError(*down, 502, opened.failure.why, method == "HEAD");
            co_return;
        }
        up = std::move(opened.stream);
        down->whenClosed([weak = std::weak_ptr<H2Stream>(up)] { // the caller went away
            if (auto stream = weak.lock())
                stream->reset(H2Code::Cancel);
        });
        body.sendTo(executor, up, none);
        headed = co_await up->waitHead();
        if (!headed && (!h2::wasRefused(*up) || !body.replayable() || down->closed()))
            break;
    }
    if (!headed) {
        meter.finished(502);
        const std::string how = up->connectionLost()
            ? std::string("the workload's HTTP/2 connection was lost (does it speak h2c?)")
            : std::string("the workload reset the stream (") + h2::h2CodeName(up->closeCode())
                + ")";
        h2::answerProxyError(*down, 502, how, method == "HEAD");
        down->whenClosed({});
        co_return;
    }
    meter.responseHeaderArrived();
    const unsigned status = h2::statusOf(up->head());
    const auto pumped = co_await h2::relayResponse(up, down);
    meter.finished(pumped == h2::PumpEnd::Whole ? status : 502);
    if (pumped != h2::PumpEnd::Whole)
        down->reset(H2Code::InternalError); // the caller must not take it for a whole response
    down->whenClosed({});
}

} // namespace

asio::awaitable<std::shared_ptr<void>> inboundHttp2(TlsDown down, Worker &worker,
                                                    std::shared_ptr<InboundShared> shared,
                                                    std::string client, telemetry::Labels common)
{
    auto state = std::make_shared<H2Inbound>(worker, shared, std::move(client), std::move(common));
    auto connection = DownConnection::server(
        std::move(down), {}, *shared->clock, [state](std::shared_ptr<H2Stream> stream) {
            ++state->streams;
            asio::co_spawn(state->worker.io(), inboundStream(state, std::move(stream)),
                           [state](const std::exception_ptr & /*unused*/) {
                               if (--state->streams == 0)
                                   state->allDone.cancel();
                           });
        });
    if (!connection)
        co_return nullptr;
    {
        const h2::DrainWithWorker drain(worker, **connection);
        co_await (*connection)->run();
    }
    while (state->streams > 0) {
        beast::error_code ignored;
        co_await state->allDone.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
    co_return *connection;
}

} // namespace meshcore::proxy
