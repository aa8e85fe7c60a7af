#include "proxy/http_head.h"

#include <algorithm>
#include <charconv>

#include "proxy/http_chars.h"

namespace meshcore::proxy {
namespace http = boost::beast::http;

namespace {

constexpr std::size_t MaxMethodChars = 32;

bool hasBareLineFeed(std::string_view seen, std::size_t from)
{
    for (auto at = seen.find('\n', from); at != std::string_view::npos;
         at = seen.find('\n', at + 1))
        if (at == 0 || seen[at - 1] != '\r')
            return true;
    return false;
}

// `lineEnd` is where the request line's CRLF starts, or npos while it is still to come.
std::optional<std::string> requestLineProblem(std::string_view seen, std::size_t lineEnd)
{
    const auto space = seen.substr(0, MaxMethodChars + 1).find(' ');
    const auto method = seen.substr(0, std::min(space, MaxMethodChars + 1));
    if (!std::all_of(method.begin(), method.end(), isTokenChar) || space == 0)
        return "malformed request line (not an HTTP/1.1 request)";
    if (method.size() > MaxMethodChars)
        return "malformed request line (method over " + std::to_string(MaxMethodChars)
            + " characters)";
    if (lineEnd == std::string_view::npos)
        return std::nullopt; // the rest is still to come
    const auto line = seen.substr(0, lineEnd);
    const auto lastSpace = line.rfind(' ');
    if (space == std::string_view::npos || lastSpace == space)
        return "malformed request line (no HTTP version: HTTP/0.9 is not supported)";
    const auto version = line.substr(lastSpace + 1);
    if (!version.starts_with("HTTP/"))
        return "malformed request line (no HTTP version)";
    return std::nullopt;
}

std::optional<std::string> statusLineProblem(std::string_view seen)
{
    constexpr std::string_view Prefix = "HTTP/1.";
    const auto n = std::min(seen.size(), Prefix.size());
    if (seen.substr(0, n) != Prefix.substr(0, n))
        return "bad version (not an HTTP/1.x status line)";
    return std::nullopt;
}

void appendFields(std::string &out, const http::fields &fields)
{
    for (const auto &field : fields) {
        out.append(field.name_string().data(), field.name_string().size()).append(": ");
        out.append(field.value().data(), field.value().size()).append("\r\n");
    }
    out.append("\r\n");
}

const char *versionText(unsigned version)
{
    return version == 10 ? "HTTP/1.0" : "HTTP/1.1";
}

} // namespace

std::optional<std::string> HeadScanner::scan(std::string_view seen)
{
    const std::size_t from = std::min(m_scanned, seen.size());
    m_scanned = seen.size();
    if (hasBareLineFeed(seen, from))
        return std::string("bare LF in the header section (lines must end in CRLF)");
    if (m_startLineDone)
        return std::nullopt;
    const auto lineEnd = seen.find("\r\n", from > 0 ? from - 1 : 0);
    m_startLineDone = lineEnd != std::string_view::npos;
    return m_isRequest ? requestLineProblem(seen, lineEnd) : statusLineProblem(seen);
}

std::optional<std::string> requestHeadProblem(const RequestHead &head)
{
    if (head.count(http::field::host) > 1)
        return std::string("more than one Host header");
    // RFC 9112 6.1: chunked framing in an HTTP/1.0 request must be treated as faulty (servers
    // that ignore it would read the chunks as the next request).
    if (head.version() < 11 && head.count(http::field::transfer_encoding) > 0)
        return std::string("Transfer-Encoding in an HTTP/1.0 request");
    return std::nullopt;
}

BodyFraming requestFraming(const RequestHead &head)
{
    if (head.count(http::field::transfer_encoding) > 0)
        return BodyFraming::chunked();
    const auto length = head[http::field::content_length];
    std::uint64_t n = 0;
    if (!length.empty())
        std::from_chars(length.data(), length.data() + length.size(), n);
    return BodyFraming::ofLength(n);
}

BodyFraming responseFraming(const ResponseHead &head, http::verb requestMethod)
{
    const unsigned status = head.result_int();
    if (requestMethod == http::verb::head || status / 100 == 1 || status == 204 || status == 304)
        return BodyFraming::none();
    if (head.count(http::field::transfer_encoding) > 0)
        return BodyFraming::chunked();
    const auto length = head[http::field::content_length];
    if (length.empty())
        return BodyFraming::untilClose();
    std::uint64_t n = 0;
    std::from_chars(length.data(), length.data() + length.size(), n);
    return BodyFraming::ofLength(n);
}

std::string serializeHead(const RequestHead &head)
{
    std::string out;
    out.reserve(512);
    const auto method = head.method_string();
    const auto target = head.target();
    out.append(method.data(), method.size()).append(" ").append(target.data(), target.size());
    out.append(" ").append(versionText(head.version())).append("\r\n");
    appendFields(out, head);
    return out;
}

std::string serializeHead(const ResponseHead &head)
{
    std::string out;
    out.reserve(512);
    const auto reason = head.reason();
    out.append(versionText(head.version()))
        .append(" ")
        .append(std::to_string(head.result_int()))
        .append(" ");
    out.append(reason.data(), reason.size()).append("\r\n");
    appendFields(out, head);
    return out;
}

} // namespace meshcore::proxy
