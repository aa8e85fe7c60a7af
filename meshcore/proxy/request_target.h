#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace meshcore::proxy {

// Where an outbound request goes: "http://web.shop:80/x?y" -> {"web.shop", "web.shop:80",
// "/x?y"}; origin-form targets take the Host header. Null when it names no valid host.
struct RequestTarget {
    std::string host; // without port
    std::string authority; // host[:port], for the Host header
    std::string path; // origin-form
};
std::optional<RequestTarget> splitTarget(std::string_view target, std::string_view hostHeader);

} // namespace meshcore::proxy
