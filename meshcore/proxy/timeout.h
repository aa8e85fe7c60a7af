#pragma once

// Layer 3 of the outbound stack: a route's timeout, as one deadline for the whole exchange,
// retries and injected delays included. Layers that wait (fault, retry) wait at most until it;
// the codec gives its sockets what is left of it (expiry()), so a request stuck in a read ends
// there too; and whichever notices it first answers timedOut(): 504 and the same message.

#include <chrono>
#include <optional>
#include <string>

#include "control/policy_config.h"
#include "proxy/monotonic_clock.h"

namespace meshcore::proxy {

struct ProxyError;

class Deadline {
public:
    // No timeout: never passes (a socket still gets `limit` in expiry()).
    Deadline(const MonotonicClock &clock, std::optional<control::Millis> timeout);

    const MonotonicClock &clock() const { return m_clock; }
    // Whether the route has a timeout at all.
    bool bounded() const { return m_at.has_value(); }
    bool passed() const { return m_at && m_clock.now() >= *m_at; }
    // Whether it passes before `wait` from now is over.
    bool within(SteadyDuration wait) const { return m_at && m_clock.now() + wait >= *m_at; }
    // `wait`, or what is left until the deadline if that is less.
    SteadyDuration atMost(SteadyDuration wait) const;
    // When a socket operation must be done: the deadline, or `limit` from now if that is sooner.
    // On the socket timers' clock (std::chrono::steady_clock).
    SteadyTime expiry(std::chrono::seconds limit) const;
    boost::asio::awaitable<void> sleepUntilPassed() const;
    // What the caller gets: 504, "request timed out after 300ms (route search of api.shop)".
    ProxyError timedOut(const std::string &where) const;

private:
    const MonotonicClock &m_clock;
    std::optional<control::Millis> m_timeout;
    std::optional<SteadyTime> m_at;
};

} // namespace meshcore::proxy
