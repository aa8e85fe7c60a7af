#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace meshcore {

// Request data and files may hold any bytes. These make such text safe where valid UTF-8 is
// required (metric labels, error messages) or where raw bytes would mislead (log lines).

// The offset of the first byte that does not start or continue a valid UTF-8 sequence (overlong
// forms, surrogates and code points above U+10FFFF are invalid too), or npos if there is none.
std::size_t invalidUtf8Offset(std::string_view text);

// `text` with each invalid sequence (each maximal ill-formed subpart, as Unicode recommends)
// replaced by U+FFFD; valid text comes back unchanged.
std::string validUtf8(std::string_view text);

// `text` for one log line: invalid bytes and control characters as \xNN, the rest unchanged.
std::string logSafe(std::string_view text);

} // namespace meshcore
