#pragma once

// The upstream half of one proxied exchange, shared by the inbound and outbound proxies.
// Internal to proxy/.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "proxy/http_relay.h"
#include "proxy/upstream_pool.h"

namespace meshcore::proxy {

struct ForwardResult {
    enum Kind {
        Ok,            // the response header is in `response`; its body is still to be relayed
        ConnectFailed, // no connection to the upstream: `failure` says why (answer 502)
        RequestFailed, // the request could not be relayed (either side went away mid-body)
        NoResponse,    // the upstream took the request but answered nothing valid (answer 502)
        TimedOut,      // the deadline passed first (answer 504); the upstream connection is closed
    };
    Kind kind = Ok;
    std::string failure;
};

// When an exchange must be over: `deadline` (a route's timeout), else `limit` from now.
inline std::chrono::steady_clock::time_point expiryOf(std::optional<std::chrono::steady_clock::time_point> deadline,
                                                      std::chrono::seconds limit)
{
    const auto byLimit = std::chrono::steady_clock::now() + limit;
    return deadline && *deadline < byLimit ? *deadline : byLimit;
}

// Sends `request` (header, then its body: streamed from `down`, or `bufferedBody` when the body
// was read before) over `upstream`, connecting with `connect` when there is none, then reads the
// response header into `response`. A pooled connection can have been closed by its peer while
// idle: a request whose body is buffered or empty is then sent again, once, over a new
// connection: whatever its method when the write failed (nothing reached the application), only
// an idempotent one when the write went through and the connection then closed.
// On every result but Ok, `upstream` is left empty. `connect(upstream, expiry)` is a coroutine
// returning an empty string on success, or why it failed. Every upstream read and write must be
// done by `expiry`; past `deadline`, a failure is TimedOut.
template <class Down, class Stream, class Connect>
asio::awaitable<ForwardResult> forwardRequest(Down &down, beast::flat_buffer &downBuffer,
                                              http::request_parser<http::buffer_body> &request, std::string *bufferedBody,
                                              std::unique_ptr<Upstream<Stream>> &upstream, Connect &connect,
                                              RelayChunk &chunk,
                                              std::optional<http::response_parser<http::buffer_body>> &response,
                                              std::chrono::steady_clock::time_point expiry,
                                              std::optional<std::chrono::steady_clock::time_point> deadline)
{
    const auto timedOut = [&] { return deadline && std::chrono::steady_clock::now() >= *deadline; };
    const bool replayable = bufferedBody || request.is_done(); // the request can be sent again
    for (int attempt = 0;; ++attempt) {
        if (!upstream) {
            std::string failure = co_await connect(upstream, expiry);
            if (!failure.empty()) {
                upstream.reset();
                if (timedOut())
                    co_return ForwardResult{ForwardResult::TimedOut, std::move(failure)};
                co_return ForwardResult{ForwardResult::ConnectFailed, std::move(failure)};
            }
        }
        const bool mayRetry = replayable && upstream->reused && attempt == 0;
        beast::get_lowest_layer(upstream->stream).expires_at(expiry);
        beast::error_code ec;
        if (bufferedBody)
            ec = co_await writeWithBody(upstream->stream, request.get(), *bufferedBody);
        else
            ec = co_await relayMessage(down, downBuffer, request, upstream->stream, chunk);
        if (ec) {
            upstream.reset();
            if (timedOut())
                co_return ForwardResult{ForwardResult::TimedOut, ec.message()};
            if (mayRetry)
                continue;
            co_return ForwardResult{ForwardResult::RequestFailed, ec.message()};
        }
        HeaderRead header;
        do { // interim 1xx responses (102, 103; 100 was not asked for) are dropped
            response.emplace();
            response->body_limit(UnlimitedBody);
            if (request.get().method() == http::verb::head)
                response->skip(true);
            header = co_await readHeader(upstream->stream, upstream->buffer, *response);
        } while (header.result == HeaderResult::Ok && response->get().result_int() / 100 == 1
                 && response->get().result_int() != 101);
        if (header.result == HeaderResult::Ok) {
            upstream->reused = true; // for the next exchange over it
            co_return ForwardResult{};
        }
        upstream.reset();
        if (timedOut())
            co_return ForwardResult{ForwardResult::TimedOut, "no response before the deadline"};
        // The whole request went out and the connection closed: the peer may have acted on it
        // before closing, so only a request that may be repeated is sent again.
        if (header.result == HeaderResult::Closed && mayRetry && isIdempotent(request.get().method()))
            continue;
        ForwardResult noResponse{ForwardResult::NoResponse, header.problem};
        if (header.result == HeaderResult::Closed)
            noResponse.failure = "the connection closed";
        co_return noResponse;
    }
}

} // namespace meshcore::proxy
