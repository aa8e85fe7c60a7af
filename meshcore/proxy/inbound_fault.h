#pragma once

// The inbound side's step for a version's runtime fault (version_faults.h): the server side of the
// exchange, so to its callers (their retries, breakers, metrics and success rates) the version is
// really failing. Internal to proxy/.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "proxy/body_framing.h"
#include "proxy/chance.h"
#include "proxy/monotonic_clock.h"
#include "proxy/proxy_telemetry.h"
#include "proxy/upstream_exchange.h"
#include "proxy/version_faults.h"

namespace meshcore::proxy {

// A body larger than this is not read just to be dropped: the connection closes instead.
inline constexpr std::uint64_t MaxDroppedBodyBytes = std::uint64_t {1} << 20;

// What one inbound proxy knows of its version's fault: the switch, the cause its answers give
// and where it counts them (inbound_http_fault_injections_total{namespace, deployment, pod,
// kind}). Thread-safe: shared by the proxy's connections on every worker.
class InboundFaults {
public:
    // `faultSwitch` may be null: no fault, ever.
    InboundFaults(std::shared_ptr<const FaultSwitch> faultSwitch, const WorkloadLabels &workload,
                  std::shared_ptr<telemetry::ProxyMetrics> metrics);
    std::shared_ptr<const control::FaultConfig> current() const
    {
        return m_switch ? m_switch->current() : nullptr;
    }
    const std::string &cause() const
    {
        return m_cause;
    } // "fault injected (version v2 of api.shop)"
    void count(std::string_view kind) const; // "delay" or "abort"

private:
    std::shared_ptr<const FaultSwitch> m_switch;
    std::string m_cause;
    std::shared_ptr<telemetry::ProxyMetrics> m_metrics;
    telemetry::Labels m_labels;
};

// The caller's side of an inbound connection, and what one of its requests needs for the step.
struct InboundFaultRequest {
    boost::beast::ssl_stream<boost::beast::tcp_stream> &down;
    boost::beast::flat_buffer &buffer; // the caller's bytes read so far
    BodyReader &body; // the request's body, not read yet
    ClientSide client;
    RequestMeter &meter;
    boost::beast::http::verb method = boost::beast::http::verb::unknown;
};

// Applies the version's fault `fault` (faults.current()) to a request whose head was read: a
// delay on `clock`, then perhaps an abort, answered here with its status and the header
// `l5d-proxy-error: fault injected (version V of S)`; nothing goes to the workload. The body is
// read and dropped when it is at most MaxDroppedBodyBytes, so the connection can carry the next
// request; a larger one (or a caller that did not ask for keep-alive, or a HEAD, whose answer must
// have no body) closes it after the answer.
// Returns nothing when the request goes on to the workload, else whether the connection goes on.
boost::asio::awaitable<std::optional<bool>>
injectVersionFault(const InboundFaults &faults, const control::FaultConfig &fault, Chance &chance,
                   const MonotonicClock &clock, InboundFaultRequest request);

} // namespace meshcore::proxy
