#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "admin/admin_api.h"

namespace meshcore::admin {

// The admin API listens on loopback, but a web page in the user's browser can still reach it:
// through DNS rebinding (evil.example resolving to 127.0.0.1; the browser then sends
// "Host: evil.example") or by posting to 127.0.0.1 directly (the browser sends its "Origin").
// A request is answered only when it names loopback in both.

// "localhost", any 127.0.0.0/8 address or "[::1]", each with an optional ":port".
bool isLoopbackHost(std::string_view host);

// "http://" followed by a loopback host as above: a page served from this machine.
bool isLoopbackOrigin(std::string_view origin);

// The Host and Origin headers of one request, every occurrence, as received.
struct RequestNames {
    std::vector<std::string> hosts;
    std::vector<std::string> origins;
};

// The answer for a request that does not come from loopback, if it does not: 421 for a Host that
// names another host (or more than one Host), 403 for an Origin that is not a loopback page. A
// request without Host or Origin is not refused: browsers always send Host, and send Origin
// whenever a page on another origin is the sender.
std::optional<ApiResponse> refuseForeignRequest(const RequestNames &names);

} // namespace meshcore::admin
