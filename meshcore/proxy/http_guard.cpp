#include "proxy/http_guard.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace meshcore::proxy {
namespace http = boost::beast::http;

namespace {
std::string lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}
} // namespace

std::optional<std::string> framingProblem(const http::fields &header)
{
    int transferEncodings = 0;
    for (const auto &field : header) {
        if (field.name() != http::field::transfer_encoding)
            continue;
        ++transferEncodings;
        if (lower(field.value()) != "chunked")
            return "Transfer-Encoding '" + std::string(field.value())
                + "' is not supported (only 'chunked')";
    }
    if (transferEncodings > 1)
        return "more than one Transfer-Encoding header";
    const auto lengths = header.count(http::field::content_length);
    if (transferEncodings == 1 && lengths > 0)
        return "both Content-Length and Transfer-Encoding";
    // RFC 9112 6.3 lets a recipient merge repeated equal values; a proxy that did while the next
    // hop did not would disagree with it on where the body ends, so any repetition is refused.
    if (lengths > 1)
        return "more than one Content-Length header";
    if (lengths == 1) {
        const auto value = header[http::field::content_length];
        if (value.empty() || value.size() > 19
            || !std::all_of(value.begin(), value.end(),
                            [](char c) { return c >= '0' && c <= '9'; }))
            return "Content-Length '" + std::string(value) + "' is not a decimal number";
    }
    return std::nullopt;
}

bool hasObsoleteLineFolding(std::string_view raw)
{
    const auto end = raw.find("\r\n\r\n");
    const auto section = raw.substr(0, end == std::string_view::npos ? raw.size() : end + 2);
    for (std::size_t at = section.find("\r\n"); at != std::string_view::npos;
         at = section.find("\r\n", at + 2))
        if (at + 2 < section.size() && (section[at + 2] == ' ' || section[at + 2] == '\t'))
            return true;
    return false;
}

void removeFieldAndLookalikes(http::fields &header, std::string_view name)
{
    // Compared in place: this runs on every request, and names are short.
    const auto folded = [](char c) {
        return c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    };
    const auto sameName = [&](std::string_view a) {
        return a.size() == name.size()
            && std::equal(a.begin(), a.end(), name.begin(),
                          [&](char x, char y) { return folded(x) == folded(y); });
    };
    for (auto it = header.begin(); it != header.end();)
        it = sameName(it->name_string()) ? header.erase(it) : std::next(it);
}

void removeHopByHopFields(http::fields &header)
{
    std::vector<std::string> named;
    for (const auto &field : header)
        if (field.name() == http::field::connection) {
            std::string value(field.value());
            std::size_t start = 0;
            while (start < value.size()) {
                auto comma = value.find(',', start);
                if (comma == std::string::npos)
                    comma = value.size();
                std::string token = value.substr(start, comma - start);
                token.erase(0, token.find_first_not_of(" \t"));
                token.erase(token.find_last_not_of(" \t") + 1);
                if (!token.empty() && lower(token) != "close" && lower(token) != "keep-alive")
                    named.push_back(token);
                start = comma + 1;
            }
        }
    for (const auto &name : named)
        if (lower(name) != "transfer-encoding" && lower(name) != "content-length")
            header.erase(name);
    for (const auto field : {http::field::connection, http::field::keep_alive,
                             http::field::proxy_authenticate, http::field::proxy_authorization,
                             http::field::te, http::field::trailer, http::field::upgrade})
        header.erase(field);
    header.erase("Proxy-Connection");
}

} // namespace meshcore::proxy
