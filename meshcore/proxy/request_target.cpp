#include "proxy/request_target.h"

#include <algorithm>

namespace meshcore::proxy {
namespace {

// A host name (letters, digits, '-', '.', and '_' as service names use), an IPv4 address, or a
// bracketed IPv6 one: anything else names no destination.
bool isValidHost(std::string_view host)
{
    if (host.empty() || host.size() > 253)
        return false;
    if (host.front() == '[')
        return host.size() > 2 && host.back() == ']'
            && host.substr(1, host.size() - 2).find_first_not_of("0123456789abcdefABCDEF:.")
            == std::string_view::npos;
    return host.find_first_not_of(
               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._")
        == std::string_view::npos;
}

// `authority` is `host` with an optional ":port".
std::optional<RequestTarget> validTarget(std::string host, std::string_view authority,
                                         std::string path)
{
    const auto port = authority.substr(std::min(host.size(), authority.size()));
    const bool portValid = port.empty()
        || (port.size() >= 2 && port.size() <= 6 && port.front() == ':'
            && port.find_first_not_of("0123456789", 1) == std::string_view::npos);
    if (!isValidHost(host) || !portValid)
        return std::nullopt;
    return RequestTarget {std::move(host), std::string(authority), std::move(path)};
}

std::string hostWithoutPort(std::string_view authority)
{
    if (authority.starts_with('['))
        return std::string(authority.substr(0, authority.find(']') + 1));
    return std::string(authority.substr(0, authority.find(':')));
}

} // namespace

std::optional<RequestTarget> splitTarget(std::string_view target, std::string_view hostHeader)
{
    constexpr std::string_view Scheme = "http://";
    if (target.starts_with(Scheme)) {
        const auto rest = target.substr(Scheme.size());
        const auto slash = rest.find_first_of("/?");
        const auto authority = rest.substr(0, slash);
        if (authority.empty() || authority.find('@') != std::string_view::npos)
            return std::nullopt;
        std::string path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
        if (path.starts_with('?'))
            path = "/" + path;
        return validTarget(hostWithoutPort(authority), authority, std::move(path));
    }
    if (!target.starts_with('/') || hostHeader.empty())
        return std::nullopt;
    return validTarget(hostWithoutPort(hostHeader), hostHeader, std::string(target));
}

} // namespace meshcore::proxy
