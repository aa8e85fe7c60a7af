#pragma once

#include <array>
#include <cstdint>
#include <mutex>

#include "control/policy_config.h"
#include "core/clock.h"

namespace meshcore::policy {

// Caps retries at min_per_second x ttl + ratio x (requests in the last ttl) within the last ttl
// (Linkerd's older retry budget, from Finagle and Tower), so retries add at most that much load
// even when every request fails. Counts per one-second slot. Not thread-safe.
class RetryBudget {
public:
    explicit RetryBudget(const control::RetryBudgetConfig &config)
        : m_config(config)
    {
    }

    // An original request (not a retry): it earns `ratio` of a retry.
    void deposit(TimePoint now);
    // A retry: true (and counted) if the budget allows it.
    bool withdraw(TimePoint now);

private:
    struct Slot {
        std::int64_t second = -1;
        std::uint64_t requests = 0;
        std::uint64_t retries = 0;
    };
    Slot &slotFor(TimePoint now);

    control::RetryBudgetConfig m_config;
    std::array<Slot, 60> m_slots {}; // ttl is at most 60 s
};

// One destination's retry budget, shared by every caller in this meshd: a RetryBudget on a clock
// behind a mutex. It lives beside the balancer (policy::DestinationPolicy), not inside it: the
// balancer picks replicas, this caps retries. Thread-safe.
class SharedRetryBudget {
public:
    SharedRetryBudget(const control::RetryBudgetConfig &config, const Clock &clock)
        : m_clock(clock)
        , m_budget(config)
    {
    }

    // An original request, which earns retry budget; and a retry, if the budget allows.
    void countRequest();
    bool allowRetry();

private:
    const Clock &m_clock;
    std::mutex m_mutex;
    RetryBudget m_budget;
};

} // namespace meshcore::policy
