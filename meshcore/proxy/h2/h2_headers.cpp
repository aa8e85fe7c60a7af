#include "proxy/h2/h2_headers.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace meshcore::proxy::h2 {

namespace {

std::string lowerCase(std::string_view text)
{
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return lower;
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

// The names a Connection header lists ("close, x-hop" -> close, x-hop).
std::vector<std::string> connectionOptions(const Headers &headers)
{
    std::vector<std::string> names;
    for (const auto &header : headers) {
        if (lowerCase(header.name) != "connection")
            continue;
        std::string_view rest = header.value;
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            const auto item = trimmed(rest.substr(0, comma));
            if (!item.empty())
                names.push_back(lowerCase(item));
            rest = comma == std::string_view::npos ? std::string_view {} : rest.substr(comma + 1);
        }
    }
    return names;
}

bool isConnectionField(std::string_view name)
{
    return name == "connection" || name == "keep-alive" || name == "proxy-connection"
        || name == "transfer-encoding" || name == "upgrade";
}

} // namespace

const std::string *findHeader(const Headers &headers, std::string_view name)
{
    const auto found = std::find_if(headers.begin(), headers.end(),
                                    [name](const Header &header) { return header.name == name; });
    return found == headers.end() ? nullptr : &found->value;
}

std::string headerValue(const Headers &headers, std::string_view name)
{
    const auto *found = findHeader(headers, name);
    return found ? *found : std::string();
}

unsigned statusOf(const Headers &headers)
{
    const auto *text = findHeader(headers, ":status");
    unsigned status = 0;
    if (text)
        std::from_chars(text->data(), text->data() + text->size(), status);
    return status;
}

Headers withoutConnectionFields(const Headers &headers)
{
    const auto listed = connectionOptions(headers);
    Headers kept;
    kept.reserve(headers.size());
    for (const auto &header : headers) {
        auto name = lowerCase(header.name);
        if (isConnectionField(name)
            || std::find(listed.begin(), listed.end(), name) != listed.end())
            continue;
        if (name == "te" && lowerCase(trimmed(header.value)) != "trailers")
            continue;
        kept.push_back({std::move(name), header.value});
    }
    return kept;
}

} // namespace meshcore::proxy::h2
