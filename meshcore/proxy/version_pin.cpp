#include "proxy/version_pin.h"

#include <algorithm>
#include <cctype>

namespace meshcore::proxy {
namespace {

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

bool matches(const control::RequestMatch &match, const boost::beast::http::fields &headers)
{
    namespace http = boost::beast::http;
    const bool header = match.kind == control::RequestMatch::Kind::Header;
    const auto [first, last]
        = header ? headers.equal_range(match.name) : headers.equal_range(http::field::cookie);
    for (auto field = first; field != last; ++field)
        if (header ? trimmed(field->value()) == match.value
                   : cookieMatches(field->value(), match.name, match.value))
            return true;
    return false;
}

bool sameName(std::string_view a, std::string_view b)
{
    return a.size() == b.size()
        && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
               return std::tolower(x) == std::tolower(y);
           });
}

bool matches(const control::RequestMatch &match, const h2::Headers &headers)
{
    const bool header = match.kind == control::RequestMatch::Kind::Header;
    for (const auto &field : headers) {
        if (!sameName(field.name, header ? std::string_view(match.name) : "cookie"))
            continue;
        if (header ? trimmed(field.value) == match.value
                   : cookieMatches(field.value, match.name, match.value))
            return true;
    }
    return false;
}

} // namespace

bool cookieMatches(std::string_view cookieHeader, std::string_view name, std::string_view value)
{
    while (!cookieHeader.empty()) {
        const auto end = cookieHeader.find(';');
        const auto pair = trimmed(cookieHeader.substr(0, end));
        const auto equals = pair.find('=');
        if (equals != std::string_view::npos && trimmed(pair.substr(0, equals)) == name
            && trimmed(pair.substr(equals + 1)) == value)
            return true;
        if (end == std::string_view::npos)
            break;
        cookieHeader.remove_prefix(end + 1);
    }
    return false;
}

std::string_view pinnedVersion(const std::vector<control::VersionPin> &pins,
                               const boost::beast::http::fields &headers)
{
    for (const auto &pin : pins)
        if (matches(pin.match, headers))
            return pin.version;
    return {};
}

std::string_view pinnedVersion(const std::vector<control::VersionPin> &pins,
                               const h2::Headers &headers)
{
    for (const auto &pin : pins)
        if (matches(pin.match, headers))
            return pin.version;
    return {};
}

} // namespace meshcore::proxy
