#pragma once

// An HTTP/2 header block as owned strings: pseudo-header fields (":method", ":status"...) first,
// names in lower case, as RFC 9113 8.2 has them on the wire.

#include <string>
#include <string_view>
#include <vector>

namespace meshcore::proxy::h2 {

struct Header {
    std::string name;
    std::string value;
};
using Headers = std::vector<Header>;

// The first field named `name` (lower case), or null.
const std::string *findHeader(const Headers &headers, std::string_view name);
// Its value, or "" when there is none.
std::string headerValue(const Headers &headers, std::string_view name);
// A response head's :status as a number (0 when it has none, or not a number).
unsigned statusOf(const Headers &headers);

// RFC 9113 8.2.2: fields that mean something for one HTTP/1.1 connection only are not sent over
// HTTP/2 (connection, keep-alive, proxy-connection, transfer-encoding, upgrade, and the fields a
// Connection header names); `te` goes only as "trailers". Names are lower-cased on the way.
Headers withoutConnectionFields(const Headers &headers);

} // namespace meshcore::proxy::h2
