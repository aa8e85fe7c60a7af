#pragma once

// Character classes of HTTP/1.1 (RFC 9110 5.6.2 and 5.5), shared by the head and body checks.
// Internal to proxy/.

#include <string_view>

namespace meshcore::proxy {

// tchar: what a method, a field name or a chunk extension name is made of.
inline bool isTokenChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if ((u >= '0' && u <= '9') || ((u | 0x20) >= 'a' && (u | 0x20) <= 'z'))
        return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// Visible characters, space, tab and obs-text: what a field value or chunk extension may hold.
inline bool isTextChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u == '\t' || (u >= 0x20 && u != 0x7f);
}

} // namespace meshcore::proxy
