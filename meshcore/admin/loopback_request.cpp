#include "admin/loopback_request.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>

namespace meshcore::admin {
namespace {

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x))
                   == std::tolower(static_cast<unsigned char>(y));
           });
}

// Empty, or ":" and a port number.
bool isPortSuffix(std::string_view text)
{
    if (text.empty())
        return true;
    const auto digits = text.substr(1);
    if (text.front() != ':' || digits.empty() || digits.size() > 5
        || !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    return std::stoul(std::string(digits)) <= 65535;
}

bool isLoopbackIpv4(std::string_view text)
{
    in_addr address {};
    return inet_pton(AF_INET, std::string(text).c_str(), &address) == 1
        && (ntohl(address.s_addr) >> 24) == 127;
}

bool isLoopbackIpv6(std::string_view text)
{
    in6_addr address {};
    return inet_pton(AF_INET6, std::string(text).c_str(), &address) == 1
        && IN6_IS_ADDR_LOOPBACK(&address);
}

} // namespace

bool isLoopbackHost(std::string_view host)
{
    if (host.starts_with('[')) {
        const auto close = host.find(']');
        return close != std::string_view::npos && isLoopbackIpv6(host.substr(1, close - 1))
            && isPortSuffix(host.substr(close + 1));
    }
    const auto colon = host.find(':');
    const auto name = host.substr(0, colon);
    const auto port = colon == std::string_view::npos ? std::string_view() : host.substr(colon);
    return isPortSuffix(port) && (equalsIgnoringCase(name, "localhost") || isLoopbackIpv4(name));
}

bool isLoopbackOrigin(std::string_view origin)
{
    constexpr std::string_view Scheme = "http://";
    return origin.size() > Scheme.size()
        && equalsIgnoringCase(origin.substr(0, Scheme.size()), Scheme)
        && isLoopbackHost(origin.substr(Scheme.size()));
}

std::optional<ApiResponse> refuseForeignRequest(const RequestNames &names)
{
    if (names.hosts.size() > 1)
        return errorResponse(421, ApiErrorCode::MisdirectedRequest,
                             "a request names one Host, not " + std::to_string(names.hosts.size()));
    if (!names.hosts.empty() && !isLoopbackHost(names.hosts.front()))
        return errorResponse(421, ApiErrorCode::MisdirectedRequest,
                             "the admin API answers requests for localhost, 127.0.0.1 or [::1] "
                             "only, not for Host '"
                                 + names.hosts.front()
                                 + "' (a web page reaching meshd under another name is refused)");
    for (const auto &origin : names.origins)
        if (!isLoopbackOrigin(origin))
            return errorResponse(403, ApiErrorCode::ForbiddenOrigin,
                                 "the admin API does not answer web pages from '" + origin
                                     + "': only pages served from localhost, 127.0.0.1 or [::1]");
    return std::nullopt;
}

} // namespace meshcore::admin
