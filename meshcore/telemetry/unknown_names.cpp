#include "telemetry/unknown_names.h"

#include <algorithm>

namespace meshcore::telemetry {
namespace {

// Letters, digits, '-', '_' and '.', or an IPv6 literal in brackets: what a host name in a URL is.
bool looksLikeHostName(std::string_view host)
{
    if (host.empty() || host.size() > UnknownNames::MaxNameLength)
        return false;
    return std::all_of(host.begin(), host.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '_' || c == '.' || c == '[' || c == ']' || c == ':';
    });
}

} // namespace

std::string UnknownNames::admit(std::string_view host)
{
    if (!looksLikeHostName(host))
        return std::string(Other);
    const std::lock_guard lock(m_mutex);
    if (m_names.contains(host))
        return std::string(host);
    if (m_names.size() >= MaxNames)
        return std::string(Other);
    return *m_names.emplace(host).first;
}

std::size_t UnknownNames::size() const
{
    const std::lock_guard lock(m_mutex);
    return m_names.size();
}

} // namespace meshcore::telemetry
