#include "core/event_log.h"

#include <chrono>

namespace meshcore {

void EventLog::add(std::string kind, std::string subject, std::string message)
{
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    std::lock_guard lock(m_mutex);
    m_events.push_back({m_next++, now, std::move(kind), std::move(subject), std::move(message)});
    while (m_events.size() > m_capacity)
        m_events.pop_front();
}

std::vector<EventLog::Event> EventLog::since(std::uint64_t after) const
{
    std::lock_guard lock(m_mutex);
    std::vector<Event> out;
    for (const auto &event : m_events)
        if (event.seq > after)
            out.push_back(event);
    return out;
}

} // namespace meshcore
