#pragma once

// Layer 6 of the outbound stack: the destination's balancer (the split picks a version, P2C over
// peak-EWMA a replica of it, breakers keep failing ones out) chooses where one attempt goes, and
// hears how it went: success, and the time to the response header. An attempt that ends without
// saying anything about the replica gives its pick back.

#include <cstddef>

#include "policy/destination_policy.h"
#include "proxy/attempt.h"
#include "proxy/monotonic_clock.h"

namespace meshcore::proxy {

// A pick of `balancer`, reported once, or given back when destroyed unreported.
class BalancedPick {
public:
    BalancedPick(policy::DestinationPolicy &balancer, std::size_t replica)
        : m_balancer(balancer)
        , m_replica(replica)
    {
    }
    ~BalancedPick();
    BalancedPick(const BalancedPick &) = delete;
    BalancedPick &operator=(const BalancedPick &) = delete;
    void report(const ForwardResult &result, SteadyDuration rtt);

private:
    policy::DestinationPolicy &m_balancer;
    std::size_t m_replica;
    bool m_reported = false;
};

// Sends one attempt with `send(replica)` (a coroutine returning a ForwardResult) to the replica
// the balancer picks (of the `pinned` version only, when the request is pinned to one);
// NoEndpoint when every one is failing.
template <class Send> // by value: it lives in the coroutine's frame
boost::asio::awaitable<ForwardResult> throughBalancer(policy::DestinationPolicy &balancer,
                                                      const MonotonicClock &clock, Send send,
                                                      std::string pinned = {})
{
    const auto replica = balancer.pick(pinned);
    if (!replica)
        co_return ForwardResult {ForwardResult::NoEndpoint, {}};
    BalancedPick pick(balancer, *replica);
    const auto started = clock.now();
    ForwardResult result = co_await send(*replica);
    if (result.saysAboutReplica())
        pick.report(result, clock.now() - started);
    co_return result;
}

} // namespace meshcore::proxy
