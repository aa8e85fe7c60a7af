#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace meshcore {

// A numeric host and a TCP port, as given on the command line ("127.0.0.1:4191", "[::1]:4191",
// "localhost:4191"). Port 0 means "any free port" when binding.
struct Address {
    std::string host;
    std::uint16_t port = 0;

    std::string toString() const;
    bool isLoopback() const;
    bool operator==(const Address &) const = default;
};

inline constexpr std::uint16_t DefaultAdminPort = 4191;
Address defaultAdminAddress();

// Parses HOST:PORT. "localhost" becomes 127.0.0.1; other names are refused because the admin API
// and the proxies only ever listen on numeric loopback addresses.
Result<Address> parseAddress(std::string_view text);

} // namespace meshcore
