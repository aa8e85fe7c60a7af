#include "telemetry/bounded_names.h"

namespace meshcore::telemetry {

std::string BoundedNames::admit(std::string_view name)
{
    std::string key(name);
    const std::lock_guard lock(m_mutex);
    if (m_names.contains(key))
        return key;
    if (m_names.size() >= m_capacity)
        return std::string(Other);
    m_names.insert(key);
    return key;
}

std::size_t BoundedNames::size() const
{
    const std::lock_guard lock(m_mutex);
    return m_names.size();
}

} // namespace meshcore::telemetry
