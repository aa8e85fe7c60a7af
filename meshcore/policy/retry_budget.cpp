#include "policy/retry_budget.h"

#include <chrono>

namespace meshcore::policy {

RetryBudget::Slot &RetryBudget::slotFor(TimePoint now)
{
    const auto second
        = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    auto &slot
        = m_slots[static_cast<std::size_t>(second % static_cast<std::int64_t>(m_slots.size()))];
    if (slot.second != second)
        slot = Slot {second, 0, 0};
    return slot;
}

void RetryBudget::deposit(TimePoint now)
{
    ++slotFor(now).requests;
}

bool RetryBudget::withdraw(TimePoint now)
{
    auto &current = slotFor(now);
    const std::int64_t oldest = current.second - m_config.ttl.count() + 1;
    std::uint64_t requests = 0;
    std::uint64_t retries = 0;
    for (const auto &slot : m_slots)
        if (slot.second >= oldest && slot.second <= current.second) {
            requests += slot.requests;
            retries += slot.retries;
        }
    const double allowed
        = static_cast<double>(m_config.minPerSecond) * static_cast<double>(m_config.ttl.count())
        + m_config.ratio * static_cast<double>(requests);
    if (static_cast<double>(retries) + 1 > allowed)
        return false;
    ++current.retries;
    return true;
}

void SharedRetryBudget::countRequest()
{
    std::lock_guard lock(m_mutex);
    m_budget.deposit(m_clock.now());
}

bool SharedRetryBudget::allowRetry()
{
    std::lock_guard lock(m_mutex);
    return m_budget.withdraw(m_clock.now());
}

} // namespace meshcore::policy
