#include "proxy/outbound_proxy.h"
#include "core/service_key.h"

#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <random>

#include <boost/asio/steady_timer.hpp>

#include "core/duration.h"
#include "proxy/http_relay.h"
#include "proxy/tls_contexts.h"
#include "proxy/unknown_destination.h"
#include "proxy/upstream_exchange.h"

namespace meshcore::proxy {
namespace {

using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
constexpr auto ConnectTimeout = std::chrono::seconds(10);
constexpr auto IdleTimeout = std::chrono::seconds(60);
constexpr auto ExchangeTimeout = std::chrono::seconds(300);

// A host name (letters, digits, '-', '.', and '_' as service names use), an IPv4 address, or a
// bracketed IPv6 one: anything else names no destination.
bool isValidHost(std::string_view host)
{
    if (host.empty() || host.size() > 253)
        return false;
    if (host.front() == '[')
        return host.size() > 2 && host.back() == ']'
            && host.substr(1, host.size() - 2).find_first_not_of("0123456789abcdefABCDEF:.")
            == std::string_view::npos;
    return host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._")
        == std::string_view::npos;
}

// `authority` is `host` with an optional ":port".
std::optional<RequestTarget> validTarget(std::string host, std::string_view authority, std::string path)
{
    const auto port = authority.substr(std::min(host.size(), authority.size()));
    const bool portValid = port.empty()
        || (port.size() >= 2 && port.size() <= 6 && port.front() == ':'
            && port.find_first_not_of("0123456789", 1) == std::string_view::npos);
    if (!isValidHost(host) || !portValid)
        return std::nullopt;
    return RequestTarget {std::move(host), std::string(authority), std::move(path)};
}

std::string hostWithoutPort(std::string_view authority)
{
    if (authority.starts_with('['))
        return std::string(authority.substr(0, authority.find(']') + 1));
    return std::string(authority.substr(0, authority.find(':')));
}

using TlsUpstream = Upstream<TlsStream>;
using SteadyTime = std::chrono::steady_clock::time_point;
constexpr std::size_t MaxRetryableBody = 64 * 1024; // a larger body is never retried

// What every connection of one outbound proxy shares.
struct Shared {
    std::shared_ptr<WorkloadTls> tls;
    Resolver resolver;
    ProxyTelemetry telemetry;
    std::vector<UpstreamPool<TlsStream>> pools; // one per worker, used on that worker only
};

// One client connection's state, across its requests.
struct Session {
    Session(Worker &w, Shared &s, tcp::socket socket)
        : worker(w)
        , shared(s)
        , down(std::move(socket))
    {
    }
    Worker &worker;
    Shared &shared;
    beast::tcp_stream down;
    beast::flat_buffer downBuffer {MaxHeaderBytes + RelayChunkBytes};
    bool reset = false; // a response was cut short: the connection ends with a reset
    SeriesCache<RequestSeries> series;
    SeriesCache<RouteSeries> routes;
    std::unique_ptr<TlsUpstream> upstream;
    std::minstd_rand random {std::random_device {}()};
    telemetry::Labels common; // the caller's workload labels

    bool chance(double percent)
    {
        return std::uniform_real_distribution<double>(0, 100)(random) < percent;
    }
};

// Connects to `endpoint`'s inbound proxy and checks that it is who it must be.
asio::awaitable<std::string> connectUpstream(std::unique_ptr<TlsUpstream> &upstream,
                                             std::string key, const Endpoint &endpoint,
                                             asio::ssl::context &context, SteadyTime expiry)
{
    auto executor = co_await asio::this_coro::executor;
    upstream = std::make_unique<TlsUpstream>(std::move(key), beast::tcp_stream(executor), context);
    beast::error_code ec;
    auto &tcpStream = beast::get_lowest_layer(upstream->stream);
    tcpStream.expires_at(std::min(expiry, std::chrono::steady_clock::now() + ConnectTimeout));
    co_await tcpStream.async_connect(
        tcp::endpoint(asio::ip::make_address(endpoint.inbound.host, ec), endpoint.inbound.port),
        asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return "connection to " + endpoint.pod + " (" + endpoint.inbound.toString()
            + ") failed: " + ec.message();
    tcpStream.socket().set_option(tcp::no_delay(true), ec); // header and body go out as written
    co_await upstream->stream.async_handshake(asio::ssl::stream_base::client,
                                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec)
        co_return "TLS handshake with " + endpoint.pod + " failed: " + ec.message();
    const auto identity = peerIdentity(upstream->stream.native_handle());
    if (!identity)
        co_return "TLS with " + endpoint.pod + ": " + identity.error().message;
    if (*identity != endpoint.identity)
        co_return "server identity mismatch: expected " + endpoint.identity + ", got " + *identity;
    co_return std::string();
}

// Whether a failed attempt (`status` 502 stands for "no connection or no response") matches the
// conditions a retry answers.
bool retryOn(const control::RetryConditions &on, ForwardResult::Kind kind, unsigned status)
{
    if (kind == ForwardResult::ConnectFailed || kind == ForwardResult::NoResponse
        || kind == ForwardResult::UpstreamLost)
        return on.connectFailure || on.gatewayError;
    return (on.serverError && status >= 500)
        || (on.gatewayError && (status == 502 || status == 503 || status == 504));
}

asio::awaitable<void> sleepFor(std::chrono::steady_clock::duration duration)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, duration);
    beast::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

// Handles one request to a known destination, whose header has been read. Returns whether the
// connection can carry another request.
asio::awaitable<bool> exchange(Session &session, http::request_parser<http::buffer_body> &request,
                               const Destination &destination, std::string host,
                               std::string authority, std::string path)
{
    auto &message = request.get();
    auto &down = session.down;
    auto &pool = session.shared.pools[session.worker.index()];
    auto &metrics = *session.shared.telemetry.metrics;
    const unsigned version = message.version();
    const bool keepAlive = message.keep_alive();
    const auto *route = destination.route(message.method_string(), path);
    const std::string routeName = route ? route->name : "default";
    const auto policy = route ? route->policy.over(destination.policy) : destination.policy;
    const std::string where
        = "route " + routeName + " of " + qualifiedName(destination.service, destination.ns);
    auto &balancer = *destination.balancer;
    TapRecord tap(metrics.tap, session.shared.telemetry.workload, destination.service,
                  destination.ns, message.method_string(), authority, path);
    tap.route(routeName);
    auto &routeSeries = session.routes.get(metrics, host + '\n' + routeName, [&] {
        auto labels = session.common;
        labels.erase(labels.begin()); // no "direction": these are outbound by name
        labels.emplace_back("parent_namespace", destination.ns);
        labels.emplace_back("parent_name", destination.service);
        labels.emplace_back("route_name", routeName);
        return labels;
    });
    std::optional<SteadyTime> deadline;
    if (policy.timeout)
        deadline = std::chrono::steady_clock::now() + *policy.timeout;
    const auto timeoutCause = [&] {
        return "request timed out after " + formatDuration(*policy.timeout) + " (" + where + ")";
    };
    destination.retryBudget->countRequest();

    message.target(path);
    // RFC 9112 3.2.2: with an absolute-form target, the Host header is the target's authority.
    message.set(http::field::host, authority);
    removeHopByHopFields(message.base());
    if (!co_await answerExpectContinue(down, message))
        co_return false;
    removeFieldAndLookalikes(message.base(), "l5d-client-id"); // only an inbound proxy may say who called
    message.keep_alive(true);

    // Injected faults (demos, training): a delay first, then perhaps an abort.
    if (policy.faults) {
        if (session.chance(policy.faults->delayPercent)) {
            routeSeries.faultInjected("delay").inc();
            auto wait = std::chrono::steady_clock::duration(policy.faults->delay);
            if (deadline)
                wait = std::min(wait, *deadline - std::chrono::steady_clock::now());
            co_await sleepFor(wait);
            if (deadline && std::chrono::steady_clock::now() >= *deadline) {
                routeSeries.status(504, "timeout").inc();
                tap.answered(504, "timeout");
                co_await writeProxyError(down, version, http::status::gateway_timeout,
                                         timeoutCause());
                co_return false;
            }
        }
        if (session.chance(policy.faults->abortPercent)) {
            routeSeries.faultInjected("abort").inc();
            routeSeries.status(policy.faults->abortStatus, "fault").inc();
            tap.answered(policy.faults->abortStatus, "fault");
            co_await writeProxyError(down, version,
                                     static_cast<http::status>(policy.faults->abortStatus),
                                     "fault injected: abort (" + where + ")");
            co_return false;
        }
    }

    // A request that may be retried keeps its (small) body, to send it again.
    bool retryable = policy.retries && policy.retries->limit > 0
        && (isIdempotent(message.method()) || policy.retries->nonIdempotent);
    BodyReader body(requestFraming(message));
    std::string bodyBytes;
    bool buffered = false;
    if (retryable && !body.done()) {
        const auto framing = body.framing();
        if (framing.kind != BodyFraming::Length || framing.length > MaxRetryableBody) {
            retryable = false; // chunked or large: streamed, sent once
        } else {
            if (!(co_await readWholeBody(down, session.downBuffer, body, bodyBytes)).empty())
                co_return false; // the client went away before its body was whole
            buffered = true;
        }
    }
    const OutgoingRequest outgoing {message.method(), serializeHead(message), &body,
                                    buffered ? &bodyBytes : nullptr};

    for (unsigned attempt = 0;; ++attempt) {
        const auto index = balancer.pick();
        if (!index) {
            routeSeries.status(503, "unavailable").inc();
            tap.answered(503, "unavailable");
            co_await writeProxyError(down, version, http::status::service_unavailable,
                                     "no replica of " + qualifiedName(destination.service, destination.ns)
                                         + " is available: all are failing (circuit open)");
            co_return false;
        }
        // Every pick gets its outcome, or is given back if the exchange ends without one.
        struct Outcome {
            policy::DestinationPolicy &balancer;
            std::size_t index;
            bool reported = false;
            void report(bool success, std::chrono::steady_clock::duration rtt)
            {
                balancer.finished(index, success, rtt);
                reported = true;
            }
            ~Outcome()
            {
                if (!reported)
                    balancer.abandoned(index);
            }
        } outcome {balancer, *index};
        const auto &endpoint = destination.endpoints[*index];
        auto &requestSeries = session.series.get(
            metrics, host + '\n' + endpoint.pod + '\n' + routeName, [&] {
                auto labels = session.common;
                labels.emplace_back("authority", host);
                labels.emplace_back("tls", "true");
                labels.emplace_back("server_id", endpoint.identity);
                labels.emplace_back("dst_namespace", destination.ns);
                labels.emplace_back("dst_service", destination.service);
                labels.emplace_back("dst_deployment", destination.service + "-" + endpoint.version);
                labels.emplace_back("dst_pod", endpoint.pod);
                labels.emplace_back("dst_serviceaccount", destination.service);
                labels.emplace_back("route", routeName);
                return labels;
            });
        if (!requestSeries.edge()) {
            const auto &caller = session.shared.telemetry.workload;
            requestSeries.setEdge(&metrics.traffic.edge(
                {caller.service, caller.ns, caller.version, caller.identity, destination.service,
                 destination.ns, endpoint.version, endpoint.identity, routeName, true}));
        }
        RequestMeter requestMeter(requestSeries);
        tap.via(endpoint.pod, endpoint.identity);

        // This connection's upstream if it goes to the same replica, else a pooled one, else new.
        const std::string key = endpoint.inbound.toString();
        auto &upstream = session.upstream;
        if (upstream
            && (upstream->key != key
                || std::chrono::steady_clock::now() - upstream->lastUsed
                    > UpstreamPool<TlsStream>::MaxIdle))
            pool.put(std::move(upstream));
        if (!upstream)
            upstream = pool.take(key);
        const auto connect = [&](std::unique_ptr<TlsUpstream> &fresh,
                                 SteadyTime expiry) -> asio::awaitable<std::string> {
            auto context = session.shared.tls->client();
            if (!context)
                co_return std::string("this workload has no certificate yet");
            co_return co_await connectUpstream(fresh, key, endpoint, *context, expiry);
        };
        down.expires_after(ExchangeTimeout);
        std::optional<http::response_parser<http::buffer_body>> response;
        const auto started = std::chrono::steady_clock::now();
        const auto forwarded
            = co_await forwardRequest(down, session.downBuffer, outgoing, upstream, connect,
                                      response, expiryOf(deadline, ExchangeTimeout), deadline);
        const auto kind = forwarded.kind;
        const unsigned status = kind == ForwardResult::Ok ? response->get().result_int()
            : kind == ForwardResult::TimedOut             ? 504u
                                                          : 502u;
        if (kind == ForwardResult::RequestFailed)
            co_return false; // the client went away mid-body: it says nothing sure
        if (kind == ForwardResult::RequestMalformed) {
            requestMeter.finished(400);
            routeSeries.status(400, "malformed-request").inc();
            tap.answered(400, "malformed-request");
            co_await writeProxyError(down, version, http::status::bad_request,
                                     "malformed request body: " + forwarded.failure);
            co_return false;
        }
        outcome.report(kind == ForwardResult::Ok && status < 500,
                       std::chrono::steady_clock::now() - started);

        const bool failed = kind != ForwardResult::Ok || status >= 500;
        if (failed && kind != ForwardResult::TimedOut && retryable
            && retryOn(policy.retries->on, kind, status)) {
            if (attempt >= policy.retries->limit) {
                routeSeries.retryLimitExceeded().inc();
            } else if (!destination.retryBudget->allowRetry()) {
                routeSeries.retryOverflow().inc();
            } else {
                requestMeter.finished(status);
                upstream.reset(); // the failed response is not read: this connection is done
                // Backoff: base x 2^attempt x [0.5, 1.5), within the deadline.
                const double factor
                    = std::uniform_real_distribution<double>(0.5, 1.5)(session.random);
                auto wait = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                    std::chrono::duration<double, std::milli>(
                        static_cast<double>(policy.retries->backoff.count())
                        * static_cast<double>(1u << std::min(attempt, 10u)) * factor));
                if (deadline && std::chrono::steady_clock::now() + wait >= *deadline) {
                    co_await sleepFor(*deadline - std::chrono::steady_clock::now());
                    routeSeries.status(504, "timeout").inc();
                    tap.answered(504, "timeout");
                    co_await writeProxyError(down, version, http::status::gateway_timeout,
                                             timeoutCause());
                    co_return false;
                }
                co_await sleepFor(wait);
                routeSeries.retries().inc();
                tap.retried();
                continue;
            }
        }

        if (kind != ForwardResult::Ok) {
            requestMeter.finished(status);
            // (Built before the co_await: GCC 12 double-frees a ?: temporary inside one.)
            std::string cause = forwarded.failure;
            std::string error = "unreachable";
            if (kind == ForwardResult::NoResponse)
                cause = "no valid response from " + endpoint.pod + ": " + forwarded.failure;
            if (kind == ForwardResult::UpstreamLost)
                cause = "connection to " + endpoint.pod
                    + " lost while sending the request: " + forwarded.failure;
            if (kind == ForwardResult::TimedOut) {
                cause = timeoutCause();
                error = "timeout";
            }
            routeSeries.status(status, error).inc();
            tap.answered(status, error);
            co_await writeProxyError(down, version, static_cast<http::status>(status),
                                     std::move(cause));
            co_return false;
        }
        requestMeter.responseHeaderArrived();
        const auto relayed = co_await relayResponse(upstream, *response, down,
                                                    {version, keepAlive, session.worker.draining()},
                                                    message.method());
        // A body the replica cut short or framed badly is a failed request, whatever its status.
        const bool upstreamFailed = relayed.upstreamFailed();
        const unsigned final = upstreamFailed ? 502u : status;
        routeSeries.status(final, upstreamFailed ? "response-body" : "").inc();
        tap.answered(final, upstreamFailed ? "response-body" : "");
        if (attempt > 0 && final < 500)
            routeSeries.retrySuccesses().inc();
        requestMeter.finished(final);
        if (relayed.answerable()) {
            co_await writeProxyError(down, version, http::status::bad_gateway,
                                     "no valid response from " + endpoint.pod + ": " + relayed.outcome.problem);
            co_return false;
        }
        if (!relayed.complete()) {
            // The caller must not take what it got for a whole response.
            resetOnClose(down.socket());
            session.reset = true;
        }
        co_return relayed.clientMayContinue;
    }
}

asio::awaitable<void> outboundSession(tcp::socket socket, Worker &worker,
                                      std::shared_ptr<Shared> shared)
{
    Session session(worker, *shared, std::move(socket));
    auto &down = session.down;
    const auto &workload = shared->telemetry.workload;
    session.common = {{"direction", "outbound"},
                      {"namespace", workload.ns},
                      {"deployment", workload.deployment},
                      {"pod", workload.pod}};
    telemetry::Labels connectionLabels = session.common;
    connectionLabels.emplace_back("peer", "src");
    connectionLabels.emplace_back("tls", "no_identity"); // the local hop from the workload is plain
    const ConnectionMeter meter(shared->telemetry.metrics, connectionLabels,
                                down.socket().native_handle());
    while (!worker.draining()) {
        http::request_parser<http::buffer_body> request;
        down.expires_after(IdleTimeout);
        bool received = false;
        {
            const Worker::IdleScope idle(worker, down.socket());
            received = co_await readRequestOrRefuse(down, session.downBuffer, request);
        }
        if (!received)
            break;
        auto &message = request.get();
        const auto target = splitTarget(message.target(), message[http::field::host]);
        if (!target) {
            co_await writeProxyError(down, message.version(), http::status::bad_request,
                                     "request names no valid destination host");
            break;
        }
        const auto destination = shared->resolver(target->host);
        if (!destination || destination->endpoints.empty()) {
            const auto cause = recordUnknownDestination(shared->telemetry, session.common, *target,
                                                        message.method_string(), destination.get());
            co_await writeProxyError(down, message.version(), http::status::service_unavailable, cause);
            break;
        }
        if (!co_await exchange(session, request, *destination, target->host, target->authority,
                               target->path))
            break;
    }
    session.shared.pools[worker.index()].put(std::move(session.upstream));
    beast::error_code ec;
    if (!session.reset)
        down.socket().shutdown(tcp::socket::shutdown_send, ec);
}

} // namespace

std::optional<RequestTarget> splitTarget(std::string_view target, std::string_view hostHeader)
{
    constexpr std::string_view Scheme = "http://";
    if (target.starts_with(Scheme)) {
        const auto rest = target.substr(Scheme.size());
        const auto slash = rest.find_first_of("/?");
        const auto authority = rest.substr(0, slash);
        if (authority.empty() || authority.find('@') != std::string_view::npos)
            return std::nullopt;
        std::string path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
        if (path.starts_with('?'))
            path = "/" + path;
        return validTarget(hostWithoutPort(authority), authority, std::move(path));
    }
    if (!target.starts_with('/') || hostHeader.empty())
        return std::nullopt;
    return validTarget(hostWithoutPort(hostHeader), hostHeader, std::string(target));
}

Result<std::unique_ptr<OutboundProxy>>
OutboundProxy::create(Workers &workers, const Address &listen, std::shared_ptr<WorkloadTls> tls,
                      Resolver resolver, ProxyTelemetry telemetry)
{
    auto shared = std::make_shared<Shared>();
    shared->tls = std::move(tls);
    shared->resolver = std::move(resolver);
    shared->telemetry = std::move(telemetry);
    for (unsigned i = 0; i < workers.size(); ++i)
        shared->pools.emplace_back(workers.at(i));
    auto listener
        = ProxyListener::create(workers, listen, [shared](tcp::socket socket, Worker &worker) {
              return outboundSession(std::move(socket), worker, shared);
          });
    if (!listener)
        return tl::unexpected(listener.error());
    auto proxy = std::unique_ptr<OutboundProxy>(new OutboundProxy);
    proxy->m_listener = std::move(*listener);
    return proxy;
}

} // namespace meshcore::proxy
