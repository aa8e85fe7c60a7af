#pragma once

// The head of an HTTP/1.1 message as the proxies see it: early checks of the start line while it
// arrives, the body framing its fields declare, and its serialisation for the next hop.
// Internal to proxy/.

#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/verb.hpp>

#include "proxy/body_framing.h"

namespace meshcore::proxy {

using RequestHead = boost::beast::http::request_header<>;
using ResponseHead = boost::beast::http::response_header<>;

// Checks a header section while it arrives, before it is complete: a bare LF, a request line that
// cannot become one (HTTP/0.9, garbage, an overlong method), or a status line that does not start
// with "HTTP/1.". Lets the proxy answer 400 at once instead of waiting for a blank line that will
// never come. Give it everything seen so far after every read; each byte is looked at once.
class HeadScanner {
public:
    explicit HeadScanner(bool isRequest)
        : m_isRequest(isRequest)
    {
    }
    std::optional<std::string> scan(std::string_view seen);

private:
    bool m_isRequest;
    std::size_t m_scanned = 0;
    bool m_startLineDone = false;
};

// What a request head must not have beyond the framing checks: more than one Host field (RFC 9112
// 3.2), Transfer-Encoding in an HTTP/1.0 request (6.1).
std::optional<std::string> requestHeadProblem(const RequestHead &head);

// The framing a validated head declares (http_guard.h's framingProblem() ran first).
BodyFraming requestFraming(const RequestHead &head);
BodyFraming responseFraming(const ResponseHead &head, boost::beast::http::verb requestMethod);

// The start line and fields, ending with the blank line, as they go on the wire.
std::string serializeHead(const RequestHead &head);
std::string serializeHead(const ResponseHead &head);

} // namespace meshcore::proxy
