#pragma once

// The upstream half of one proxied exchange, shared by the inbound and outbound proxies.
// Internal to proxy/.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "proxy/attempt.h"
#include "proxy/http_relay.h"
#include "proxy/timeout.h"
#include "proxy/upstream_pool.h"

namespace meshcore::proxy {

// One request on its way upstream: its serialised head, and its body still to come from the
// client (`body`, framed from the client's buffer) or read before (`buffered`, for retries).
struct OutgoingRequest {
    http::verb method = http::verb::unknown;
    std::string head;
    BodyReader *body = nullptr;
    const std::string *buffered = nullptr;

    bool replayable() const { return buffered || body->done(); } // can be sent again
};

// Sends `request` over `upstream` (streaming its body from `down`), connecting with `connect`
// when there is none, then reads the response header into `response`. A pooled connection can
// have been closed by its peer while idle: a request whose body is buffered or empty is then sent
// again, once, over a new connection: whatever its method when the write failed (nothing reached
// the application), only an idempotent one when the write went through and the connection then
// closed. On every result but Ok, `upstream` is left empty; one that may hold part of a request is
// reset, so the upstream never takes it for a whole one. `connect(upstream, expiry)` is a
// coroutine returning a ConnectFailure (attempt.h). Every upstream read and write
// must be done by the deadline, or within `limit` without one; past the deadline, a failure is
// TimedOut.
template <class Down, class Stream, class Connect>
asio::awaitable<ForwardResult>
forwardRequest(Down &down, beast::flat_buffer &downBuffer, const OutgoingRequest &request,
               std::unique_ptr<Upstream<Stream>> &upstream, Connect &connect,
               std::optional<http::response_parser<http::buffer_body>> &response,
               const Deadline &deadline, std::chrono::seconds limit)
{
    const auto expiry = deadline.expiry(limit);
    const bool replayable = request.replayable();
    for (int attempt = 0;; ++attempt) {
        if (!upstream) {
            ConnectFailure failure = co_await connect(upstream, expiry);
            if (failure.failed()) {
                upstream.reset();
                if (deadline.passed())
                    co_return ForwardResult {ForwardResult::TimedOut, std::move(failure.why)};
                co_return ForwardResult {ForwardResult::ConnectFailed, std::move(failure.why)};
            }
        }
        const bool mayRetry = replayable && upstream->reused && attempt == 0;
        beast::get_lowest_layer(upstream->stream).expires_at(expiry);
        beast::error_code ec;
        std::string writeFailure;
        if (request.buffered) {
            ec = co_await writeWhole(upstream->stream, request.head, *request.buffered);
            writeFailure = ec.message();
        } else {
            auto sent = co_await relayBody(down, downBuffer, *request.body, upstream->stream,
                                           request.head);
            if (sent.result == RelayResult::InputMalformed
                || sent.result == RelayResult::InputFailed) {
                resetOnClose(upstream->socket());
                upstream.reset();
                if (sent.result == RelayResult::InputMalformed)
                    co_return ForwardResult {ForwardResult::RequestMalformed,
                                             std::move(sent.problem)};
                co_return ForwardResult {ForwardResult::RequestFailed, std::move(sent.problem)};
            }
            if (sent.result == RelayResult::OutputFailed) {
                ec = asio::error::connection_aborted;
                writeFailure = std::move(sent.problem);
            }
        }
        if (ec) {
            resetOnClose(upstream->socket());
            upstream.reset();
            if (deadline.passed())
                co_return ForwardResult {ForwardResult::TimedOut, writeFailure};
            if (mayRetry)
                continue;
            co_return ForwardResult {ForwardResult::UpstreamLost, writeFailure};
        }
        HeaderRead header;
        do { // interim 1xx responses (102, 103; 100 was not asked for) are dropped
            response.emplace();
            response->body_limit(UnlimitedBody);
            header = co_await readHeader(upstream->stream, upstream->buffer, *response);
        } while (header.result == HeaderResult::Ok && response->get().result_int() / 100 == 1
                 && response->get().result_int() != 101);
        if (header.result == HeaderResult::Ok && response->get().result_int() == 101) {
            // The proxies forward no Upgrade: a switch nobody asked for is no valid answer.
            resetOnClose(upstream->socket());
            upstream.reset();
            co_return ForwardResult {ForwardResult::NoResponse,
                                     "101 Switching Protocols, but no upgrade was asked for"};
        }
        if (header.result == HeaderResult::Ok) {
            upstream->reused = true; // for the next exchange over it
            co_return ForwardResult {};
        }
        upstream.reset();
        if (deadline.passed())
            co_return ForwardResult {ForwardResult::TimedOut, "no response before the deadline"};
        // The whole request went out and the connection closed: the peer may have acted on it
        // before closing, so only a request that may be repeated is sent again.
        if (header.result == HeaderResult::Closed && mayRetry && isIdempotent(request.method))
            continue;
        ForwardResult noResponse {ForwardResult::NoResponse, header.problem};
        if (header.result == HeaderResult::Closed)
            noResponse.failure = "the connection closed";
        co_return noResponse;
    }
}

// How the relay of a response body ended, and whether the client's connection can go on.
struct RelayedResponse {
    RelayOutcome outcome;
    bool clientMayContinue = false;
    bool complete() const { return outcome.result == RelayResult::Done; }
    // The upstream's fault (cut short or badly framed), not a client that went away.
    bool upstreamFailed() const
    {
        return !complete() && outcome.result != RelayResult::OutputFailed;
    }
    // Failed before anything reached the client: it can still get a 502 of the proxy's own.
    bool answerable() const { return upstreamFailed() && !outcome.headWritten; }
};

// What the client of an exchange asked for, as far as the response's framing is concerned.
struct ClientSide {
    unsigned version = 11;
    bool keepAlive = true;
    bool draining = false; // the proxy is shutting down: this is the connection's last response
};

// Relays the response whose head `forwardRequest` read into `response`, from `upstream` to
// `down`: hop-by-hop fields go, the client's HTTP version and keep-alive are applied, and a
// chunked body meets an HTTP/1.0 client decoded, with a close for its end. The upstream
// connection is kept only when the body ended exactly where its framing said, nothing followed,
// and the upstream keeps it open; otherwise it is closed (reset when the body failed).
template <class Down, class Stream>
asio::awaitable<RelayedResponse> relayResponse(std::unique_ptr<Upstream<Stream>> &upstream,
                                               http::response_parser<http::buffer_body> &response,
                                               Down &down, ClientSide client, http::verb method)
{
    auto &head = response.get();
    const auto framing = responseFraming(head, method);
    const bool upstreamKeepAlive = head.keep_alive() && framing.kind != BodyFraming::UntilClose;
    const bool decode = framing.kind == BodyFraming::Chunked && client.version < 11;
    const bool endsWithClose = framing.kind == BodyFraming::UntilClose || decode;
    const bool clientKeepAlive = client.keepAlive && !endsWithClose && !client.draining;
    removeHopByHopFields(head.base());
    if (decode)
        head.erase(http::field::transfer_encoding);
    head.version(client.version);
    head.keep_alive(clientKeepAlive);
    BodyReader body(framing);
    const std::string headBytes = serializeHead(head);
    RelayedResponse relayed;
    relayed.outcome
        = co_await relayBody(upstream->stream, upstream->buffer, body, down, headBytes, decode);
    relayed.clientMayContinue = relayed.complete() && clientKeepAlive;
    if (!relayed.complete() && relayed.outcome.result != RelayResult::OutputFailed)
        resetOnClose(upstream->socket());
    if (!relayed.complete() || !upstreamKeepAlive || upstream->hasUnreadInput())
        upstream.reset(); // never reused mid-message or with bytes left over
    else
        upstream->lastUsed = std::chrono::steady_clock::now();
    co_return relayed;
}

} // namespace meshcore::proxy
