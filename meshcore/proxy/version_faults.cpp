#include "proxy/version_faults.h"

namespace meshcore::proxy {

std::shared_ptr<const control::FaultConfig> FaultSwitch::current() const
{
    if (!m_on.load(std::memory_order_acquire))
        return nullptr;
    return m_fault.load(std::memory_order_acquire);
}

void FaultSwitch::set(std::optional<control::FaultConfig> fault)
{
    // The fault goes in before the flag says so, and the flag goes off before it goes away.
    if (fault) {
        m_fault.store(std::make_shared<const control::FaultConfig>(*fault),
                      std::memory_order_release);
        m_on.store(true, std::memory_order_release);
    } else {
        m_on.store(false, std::memory_order_release);
        m_fault.store(nullptr, std::memory_order_release);
    }
}

const std::shared_ptr<FaultSwitch> &VersionFaults::slot(const VersionKey &key)
{
    auto &entry = m_switches[key];
    if (!entry)
        entry = std::make_shared<FaultSwitch>();
    return entry;
}

std::shared_ptr<const FaultSwitch> VersionFaults::switchFor(const VersionKey &key)
{
    const std::lock_guard lock(m_mutex);
    return slot(key);
}

void VersionFaults::set(const VersionKey &key, const control::FaultConfig &fault)
{
    const std::lock_guard lock(m_mutex);
    slot(key)->set(fault);
    m_set[key] = fault;
}

bool VersionFaults::clear(const VersionKey &key)
{
    const std::lock_guard lock(m_mutex);
    if (!m_set.erase(key))
        return false;
    slot(key)->set(std::nullopt);
    return true;
}

std::optional<control::FaultConfig> VersionFaults::get(const VersionKey &key) const
{
    const std::lock_guard lock(m_mutex);
    const auto found = m_set.find(key);
    if (found == m_set.end())
        return std::nullopt;
    return found->second;
}

std::vector<std::pair<VersionKey, control::FaultConfig>> VersionFaults::list() const
{
    const std::lock_guard lock(m_mutex);
    return {m_set.begin(), m_set.end()};
}

std::vector<VersionKey>
VersionFaults::clearUnless(const std::function<bool(const VersionKey &)> &exists)
{
    const std::lock_guard lock(m_mutex);
    std::vector<VersionKey> cleared;
    for (auto it = m_set.begin(); it != m_set.end();) {
        if (exists(it->first)) {
            ++it;
            continue;
        }
        slot(it->first)->set(std::nullopt);
        cleared.push_back(it->first);
        it = m_set.erase(it);
    }
    return cleared;
}

std::optional<std::string> faultProblem(const control::FaultConfig &fault)
{
    const auto percentOk = [](double p) { return p >= 0 && p <= 100; }; // false for NaN too
    if (!percentOk(fault.delayPercent))
        return "delay_percent must be from 0 to 100";
    if (!percentOk(fault.abortPercent))
        return "abort_percent must be from 0 to 100";
    if (fault.delay.count() < 0 || fault.delay > MaxFaultDelay)
        return "delay_ms must be from 0 to " + std::to_string(MaxFaultDelay.count());
    if (fault.delayPercent > 0 && fault.delay.count() == 0)
        return "a delay needs delay_ms above 0";
    if (fault.abortStatus < 400 || fault.abortStatus > 599)
        return "abort_status must be an HTTP error status from 400 to 599";
    if (fault.delayPercent == 0 && fault.abortPercent == 0)
        return "nothing to inject: set delay_percent or abort_percent above 0 (to remove a "
               "fault, clear it)";
    return std::nullopt;
}

FaultDraw drawFault(const control::FaultConfig &fault, Chance &chance)
{
    FaultDraw draw;
    if (chance.percent(fault.delayPercent))
        draw.delay = fault.delay;
    if (chance.percent(fault.abortPercent))
        draw.abortStatus = fault.abortStatus;
    return draw;
}

} // namespace meshcore::proxy
