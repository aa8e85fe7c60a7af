#include "core/utf8.h"

#include <cstdio>

namespace meshcore {
namespace {

constexpr std::string_view Replacement = "\xEF\xBF\xBD"; // U+FFFD

bool isContinuation(unsigned char byte)
{
    return (byte & 0xC0) == 0x80;
}

// The length of the valid sequence at `at`, or 0 and in `bad` the length of the ill-formed
// subpart to replace (at least 1).
std::size_t sequenceAt(std::string_view text, std::size_t at, std::size_t &bad)
{
    const auto lead = static_cast<unsigned char>(text[at]);
    bad = 1;
    if (lead < 0x80)
        return 1;
    std::size_t length = 0;
    unsigned char low = 0x80; // the range allowed for the second byte (rules out overlong
    unsigned char high = 0xBF; // forms, surrogates and code points above U+10FFFF)
    if (lead >= 0xC2 && lead <= 0xDF)
        length = 2;
    else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        low = lead == 0xE0 ? 0xA0 : 0x80;
        high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        low = lead == 0xF0 ? 0x90 : 0x80;
        high = lead == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    for (std::size_t i = 1; i < length; ++i) {
        if (at + i >= text.size())
            return 0;
        const auto byte = static_cast<unsigned char>(text[at + i]);
        const bool fits = i == 1 ? (byte >= low && byte <= high) : isContinuation(byte);
        if (!fits)
            return 0;
        bad = i + 1;
    }
    return length;
}

} // namespace

std::size_t invalidUtf8Offset(std::string_view text)
{
    for (std::size_t at = 0; at < text.size();) {
        std::size_t bad = 0;
        const auto length = sequenceAt(text, at, bad);
        if (length == 0)
            return at;
        at += length;
    }
    return std::string_view::npos;
}

std::string validUtf8(std::string_view text)
{
    if (invalidUtf8Offset(text) == std::string_view::npos)
        return std::string(text);
    std::string out;
    out.reserve(text.size() + 8);
    for (std::size_t at = 0; at < text.size();) {
        std::size_t bad = 0;
        const auto length = sequenceAt(text, at, bad);
        if (length == 0) {
            out += Replacement;
            at += bad;
        } else {
            out.append(text.substr(at, length));
            at += length;
        }
    }
    return out;
}

std::string logSafe(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t at = 0; at < text.size();) {
        std::size_t bad = 0;
        const auto length = sequenceAt(text, at, bad);
        const auto byte = static_cast<unsigned char>(text[at]);
        if (length == 0 || byte < 0x20 || byte == 0x7F) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02X", byte);
            out += escaped;
            ++at;
        } else {
            out.append(text.substr(at, length));
            at += length;
        }
    }
    return out;
}

} // namespace meshcore
