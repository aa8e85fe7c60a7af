#pragma once

#include <array>
#include <cstdint>

#include "control/policy_config.h"
#include "core/clock.h"

namespace meshcore::policy {

// Caps retries at min_per_second x ttl + ratio x (requests in the last ttl) within the last ttl
// (Linkerd's older retry budget, from Finagle and Tower), so retries add at most that much load
// even when every request fails. Counts per one-second slot. Not thread-safe.
class RetryBudget {
public:
    explicit RetryBudget(const control::RetryBudgetConfig &config) : m_config(config) {}

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
    std::array<Slot, 60> m_slots{}; // ttl is at most 60 s
};

} // namespace meshcore::policy
