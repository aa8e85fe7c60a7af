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
    };
    Kind kind = Ok;
    std::string failure;
};

// Sends `request` (header, then streamed body) over `upstream`, connecting with `connect` when
// there is none, then reads the response header into `response`. A pooled connection can have
// been closed by its peer while idle: a request without a body is then sent again, once, over a
// new connection (nothing reached the upstream's application, so this is safe for any method).
// On every result but Ok, `upstream` is left empty. `connect(upstream)` is a coroutine returning
// an empty string on success, or why it failed. Each upstream read or write gets `timeout`.
template <class Down, class Stream, class Connect>
asio::awaitable<ForwardResult> forwardRequest(Down &down, beast::flat_buffer &downBuffer,
                                              http::request_parser<http::buffer_body> &request,
                                              std::unique_ptr<Upstream<Stream>> &upstream, Connect &connect,
                                              RelayChunk &chunk,
                                              std::optional<http::response_parser<http::buffer_body>> &response,
                                              std::chrono::seconds timeout)
{
    const bool replayable = request.is_done(); // no body: the header alone can be sent again
    for (int attempt = 0;; ++attempt) {
        if (!upstream) {
            std::string failure = co_await connect(upstream);
            if (!failure.empty()) {
                upstream.reset();
                co_return ForwardResult{ForwardResult::ConnectFailed, std::move(failure)};
            }
        }
        const bool mayRetry = replayable && upstream->reused && attempt == 0;
        beast::get_lowest_layer(upstream->stream).expires_after(timeout);
        const auto ec = co_await relayMessage(down, downBuffer, request, upstream->stream, chunk);
        if (ec) {
            upstream.reset();
            if (mayRetry)
                continue;
            co_return ForwardResult{ForwardResult::RequestFailed, ec.message()};
        }
        response.emplace();
        response->body_limit(UnlimitedBody);
        if (request.get().method() == http::verb::head)
            response->skip(true);
        const auto header = co_await readHeader(upstream->stream, upstream->buffer, *response);
        if (header.result == HeaderResult::Ok) {
            upstream->reused = true; // for the next exchange over it
            co_return ForwardResult{};
        }
        upstream.reset();
        if (header.result == HeaderResult::Closed && mayRetry)
            continue;
        ForwardResult noResponse{ForwardResult::NoResponse, header.problem};
        if (header.result == HeaderResult::Closed)
            noResponse.failure = "the connection closed";
        co_return noResponse;
    }
}

} // namespace meshcore::proxy
