#include "proxy/http_head.h"

#include <algorithm>
#include <charconv>

namespace meshcore::proxy {
namespace http = boost::beast::http;

namespace {

constexpr std::size_t MaxMethodChars = 32;

bool isTokenChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if ((u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z'))
        return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool hasBareLineFeed(std::string_view seen)
{
    for (auto at = seen.find('\n'); at != std::string_view::npos; at = seen.find('\n', at + 1))
        if (at == 0 || seen[at - 1] != '\r')
            return true;
    return false;
}

std::optional<std::string> requestLineProblem(std::string_view seen)
{
    const auto space = seen.find(' ');
    const auto method = seen.substr(0, space);
    if (!std::all_of(method.begin(), method.end(), isTokenChar) || space == 0)
        return "malformed request line (not an HTTP/1.1 request)";
    if (method.size() > MaxMethodChars)
        return "malformed request line (method over " + std::to_string(MaxMethodChars)
            + " characters)";
    const auto lineEnd = seen.find("\r\n");
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

std::optional<std::string> startLineProblem(std::string_view seen, bool isRequest)
{
    if (hasBareLineFeed(seen))
        return std::string("bare LF in the header section (lines must end in CRLF)");
    return isRequest ? requestLineProblem(seen) : statusLineProblem(seen);
}

std::optional<std::string> requestHeadProblem(const RequestHead &head)
{
    if (head.count(http::field::host) > 1)
        return std::string("more than one Host header");
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
