#pragma once

#include <utility>

#include <memory>

#include <boost/asio/io_context.hpp>

#include "core/address.h"
#include "core/result.h"
#include "proxy/monotonic_clock.h"
#include "proxy/proxy_listener.h"
#include "proxy/proxy_telemetry.h"
#include "proxy/version_faults.h"
#include "proxy/workload_tls.h"

namespace meshcore::proxy {

// A workload's inbound side: terminates mTLS (client certificate required and verified), then
// forwards plain HTTP to the workload on 127.0.0.1:<port>, telling it who called in the
// l5d-client-id header (any such header from the caller is replaced).
// Connections to the workload are kept and reused, per worker. `faults`, when given, is the
// version's runtime fault switch, read per request (inbound_fault.h).
// `clock` (request time) must outlive the proxy.
// Thread: create and stop on any thread (the listener closes on the acceptor worker).
class InboundProxy {
public:
    static Result<std::unique_ptr<InboundProxy>>
    create(Workers &workers, const Address &listen, std::uint16_t workloadPort,
           std::shared_ptr<WorkloadTls> tls, ProxyTelemetry telemetry,
           std::shared_ptr<const FaultSwitch> faults = nullptr,
           const MonotonicClock &clock = systemMonotonicClock());
    Address localAddress() const { return m_listener->localAddress(); }
    void stop() { m_listener->stop(); }

private:
    std::unique_ptr<ProxyListener> m_listener;
};

} // namespace meshcore::proxy
