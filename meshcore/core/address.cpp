#include "core/address.h"

#include <arpa/inet.h>
#include <charconv>

namespace meshcore {

std::string Address::toString() const
{
    if (host.find(':') != std::string::npos)
        return "[" + host + "]:" + std::to_string(port);
    return host + ":" + std::to_string(port);
}

bool Address::isLoopback() const
{
    in_addr v4 {};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6 {};
    if (inet_pton(AF_INET6, host.c_str(), &v6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&v6);
    return false;
}

Address defaultAdminAddress()
{
    return Address {"127.0.0.1", DefaultAdminPort};
}

Result<Address> parseAddress(std::string_view text)
{
    const auto invalid = [&](const std::string &why) {
        return makeError(ErrorCode::InvalidArgument,
                         "'" + std::string(text) + "' is not a valid address: " + why);
    };
    std::string_view host;
    std::string_view port;
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return invalid("expected [IPv6]:PORT");
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos)
            return invalid("expected HOST:PORT, for example 127.0.0.1:4191");
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos)
            return invalid("write IPv6 addresses in brackets, for example [::1]:4191");
    }
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535)
        return invalid("the port must be a number from 0 to 65535");

    Address address {std::string(host), static_cast<std::uint16_t>(value)};
    if (address.host == "localhost")
        address.host = "127.0.0.1";
    in_addr v4 {};
    in6_addr v6 {};
    if (inet_pton(AF_INET, address.host.c_str(), &v4) != 1
        && inet_pton(AF_INET6, address.host.c_str(), &v6) != 1)
        return invalid("the host must be a numeric IP address or 'localhost'");
    return address;
}

} // namespace meshcore
