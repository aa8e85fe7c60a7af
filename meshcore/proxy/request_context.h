#pragma once

// One outbound request on its way down the stack: its route, deadline, route series and tap
// record, and the meter of its current attempt. Whichever layer ends the request, it is recorded
// once, by finish(). Protocol-neutral: statuses are numbers, the codec writes the answers.

#include <optional>
#include <string>
#include <string_view>

#include "proxy/attempt.h"
#include "proxy/proxy_telemetry.h"
#include "proxy/route_match.h"
#include "proxy/timeout.h"

namespace meshcore::proxy {

// What the proxy answers itself instead of a response: the status, the `error` label its route
// metrics and the tap carry ("timeout", "unavailable", "fault", "unreachable",
// "malformed-request"), and the cause, for the l5d-proxy-error header.
struct ProxyError {
    unsigned status = 502;
    std::string_view error;
    std::string cause;
};

class RequestContext {
public:
    RequestContext(const MonotonicClock &clock, RouteMatch route, RouteSeries &series,
                   TapRecord &tap);
    RequestContext(const RequestContext &) = delete;
    RequestContext &operator=(const RequestContext &) = delete;

    const RouteMatch route;
    const Deadline deadline; // from the route's timeout
    RouteSeries &series;
    TapRecord &tap;

    const MonotonicClock &clock() const { return deadline.clock(); }
    unsigned retries() const { return m_retries; }

    // An attempt to one replica begins, counted in that replica's series; the one before, if
    // retried, has been ended with endAttempt().
    void startAttempt(RequestSeries &endpointSeries) { m_attempt.emplace(endpointSeries); }
    void responseHeaderArrived();
    // The current attempt failed and will be retried: its own status is `status`.
    void endAttempt(unsigned status);
    void retrying();

    // How the request ended, recorded once: the route's final status (with `error` when the
    // proxy answered itself), the tap, retry success, and the last attempt's status.
    void finish(unsigned status, std::string_view error);
    bool finished() const { return m_finished; }

private:
    std::optional<RequestMeter> m_attempt;
    unsigned m_retries = 0;
    bool m_finished = false;
};

// What to answer for a forward that ended in `result` (not Ok, not RequestFailed).
ProxyError proxyErrorOf(const ForwardResult &result, const RequestContext &context);

} // namespace meshcore::proxy
