#pragma once

// How one try to forward a request upstream ended, whatever protocol carries it. The layers of
// the proxy stack (retry, balance) decide on this alone. Internal to proxy/.

#include <string>
#include <utility>

namespace meshcore::proxy {

struct ForwardResult {
    enum Kind {
        Ok, // a response header arrived: `status` is its status; its body is still to be relayed
        ConnectFailed, // no connection to the upstream: `failure` says why (answer 502)
        RequestFailed, // the client went away, or its body ended early: nothing to answer
        RequestMalformed, // the client's body framing is broken: `failure` says how (answer 400)
        UpstreamLost, // the upstream connection failed while the request went out (answer 502)
        NoResponse, // the upstream took the request but answered nothing valid (answer 502)
        TimedOut, // the deadline passed first (answer 504); the upstream connection is closed
        NoEndpoint, // every replica's breaker is open: nothing was sent (answer 503)
    };
    ForwardResult() = default;
    ForwardResult(Kind k, std::string why = {}, unsigned code = 0)
        : kind(k)
        , failure(std::move(why))
        , status(code)
    {
    }

    Kind kind = Ok;
    std::string failure;
    unsigned status = 0; // Ok: the response's

    // A failure for the caller: no response, or a 5xx one.
    bool failed() const { return kind != Ok || status >= 500; }
    // Whether it says something about the replica it went to (the client's own failures do not).
    bool saysAboutReplica() const
    {
        return kind != RequestFailed && kind != RequestMalformed && kind != NoEndpoint;
    }
};

// How a connection attempt ended: empty `why` when it worked; else why not, for the caller's
// error, and the socket error's errno name ("ECONNREFUSED") for the metrics, empty when the
// failure was not a socket error (the handshake, the identity).
struct ConnectFailure {
    std::string why;
    std::string errnoName;
    bool failed() const { return !why.empty(); }
};

} // namespace meshcore::proxy
