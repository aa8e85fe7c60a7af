#include "proxy/outbound_http1.h"

#include "proxy/http_relay.h"

namespace meshcore::proxy {

namespace {
constexpr auto ExchangeTimeout = std::chrono::seconds(300);
constexpr std::size_t MaxRetryableBody = std::size_t {64} * 1024; // a larger body is never retried
} // namespace

OutboundHttp1::OutboundHttp1(OutboundSession &session, Request &request,
                             const Destination &destination, const RequestTarget &target,
                             RequestContext &context)
    : m_session(session)
    , m_request(request)
    , m_destination(destination)
    , m_target(target)
    , m_context(context)
    , m_version(request.get().version())
    , m_keepAlive(request.get().keep_alive())
{
}

asio::awaitable<bool> OutboundHttp1::prepareHead()
{
    auto &message = m_request.get();
    message.target(m_target.path);
    // RFC 9112 3.2.2: with an absolute-form target, the Host header is the target's authority.
    message.set(http::field::host, m_target.authority);
    removeHopByHopFields(message.base());
    if (!co_await answerExpectContinue(m_session.down, message))
        co_return false;
    removeFieldAndLookalikes(message.base(),
                             "l5d-client-id"); // only an inbound proxy may say who called
    message.keep_alive(true);
    m_body.emplace(requestFraming(message));
    co_return true;
}

asio::awaitable<bool> OutboundHttp1::keepBodyFor(RetryPolicy &retries)
{
    if (retries.wanted() && !m_body->done()) {
        const auto framing = m_body->framing();
        if (framing.kind != BodyFraming::Length || framing.length > MaxRetryableBody) {
            retries.bodyNotReplayable();
        } else {
            if (!(co_await readWholeBody(m_session.down, m_session.downBuffer, *m_body,
                                         m_bodyBytes))
                     .empty())
                co_return false;
            m_buffered = true;
        }
    }
    auto &message = m_request.get();
    m_outgoing
        = {message.method(), serializeHead(message), &*m_body, m_buffered ? &m_bodyBytes : nullptr};
    co_return true;
}

asio::awaitable<ForwardResult> OutboundHttp1::sendTo(const Endpoint &endpoint)
{
    m_endpoint = &endpoint;
    m_context.startAttempt(
        m_session.series.endpoint(m_destination, endpoint, m_context.route.name, m_target.host));
    m_context.tap.via(endpoint.pod, endpoint.identity);
    const std::string key = endpoint.inbound.toString();
    auto &upstream = m_session.upstream;
    reuseOrTakeUpstream(upstream, m_session.pool(), key);
    const auto connect = [&](std::unique_ptr<TlsUpstream> &fresh, SteadyTime expiry) {
        return connectEndpoint(fresh, m_session.down.get_executor(), key, endpoint,
                               *m_session.shared.tls, expiry);
    };
    m_session.down.expires_after(ExchangeTimeout);
    auto result
        = co_await forwardRequest(m_session.down, m_session.downBuffer, m_outgoing, upstream,
                                  connect, m_response, m_context.deadline, ExchangeTimeout);
    if (result.kind == ForwardResult::Ok) {
        result.status = m_response->get().result_int();
        m_context.responseHeaderArrived();
    } else if (result.kind == ForwardResult::NoResponse) {
        result.failure = "no valid response from " + endpoint.pod + ": " + result.failure;
    } else if (result.kind == ForwardResult::UpstreamLost) {
        result.failure = "connection to " + endpoint.pod
            + " lost while sending the request: " + result.failure;
    }
    co_return result;
}

asio::awaitable<bool> OutboundHttp1::end(const ForwardResult &result)
{
    if (result.kind == ForwardResult::Ok)
        co_return co_await relay();
    if (result.kind == ForwardResult::RequestFailed)
        co_return false; // the client went away mid-body: it says nothing sure
    const ProxyError error = proxyErrorOf(result, m_context); // (not a temporary in a co_await)
    co_return co_await end(error);
}

asio::awaitable<bool> OutboundHttp1::end(const ProxyError &error)
{
    m_context.finish(error.status, error.error);
    co_await writeProxyError(m_session.down, m_version, static_cast<http::status>(error.status),
                             error.cause);
    co_return false;
}

asio::awaitable<bool> OutboundHttp1::relay()
{
    const unsigned status = m_response->get().result_int();
    const auto relayed = co_await relayResponse(
        m_session.upstream, *m_response, m_session.down,
        {m_version, m_keepAlive, m_session.worker.draining()}, m_request.get().method());
    // A body the replica cut short or framed badly is a failed request, whatever its status.
    const bool upstreamFailed = relayed.upstreamFailed();
    m_context.finish(upstreamFailed ? 502u : status, upstreamFailed ? "response-body" : "");
    if (relayed.answerable()) {
        co_await writeProxyError(m_session.down, m_version, http::status::bad_gateway,
                                 "no valid response from " + m_endpoint->pod + ": "
                                     + relayed.outcome.problem);
        co_return false;
    }
    if (!relayed.complete()) {
        // The caller must not take what it got for a whole response.
        resetOnClose(m_session.down.socket());
        m_session.reset = true;
    }
    co_return relayed.clientMayContinue;
}

} // namespace meshcore::proxy
