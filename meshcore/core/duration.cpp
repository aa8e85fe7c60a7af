#include "core/duration.h"

#include <cctype>
#include <charconv>

namespace meshcore {

Result<std::chrono::milliseconds> parseDuration(std::string_view text)
{
    const auto invalid = [&] {
        return makeError(ErrorCode::InvalidArgument,
                         "'" + std::string(text)
                             + "' is not a duration: use a number with a unit, like 250ms, 10s, "
                               "5m, 24h or 1h30m");
    };
    if (text.empty())
        return invalid();
    std::chrono::milliseconds total {0};
    std::string_view rest = text;
    while (!rest.empty()) {
        long long value = 0;
        const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), value);
        if (ec != std::errc() || end == rest.data() || value < 0)
            return invalid();
        rest.remove_prefix(static_cast<std::size_t>(end - rest.data()));
        std::size_t unitLength = 0;
        while (unitLength < rest.size()
               && std::isalpha(static_cast<unsigned char>(rest[unitLength])))
            ++unitLength;
        const auto unit = rest.substr(0, unitLength);
        rest.remove_prefix(unitLength);
        long long factor = 0;
        if (unit == "ms")
            factor = 1;
        else if (unit == "s")
            factor = 1000;
        else if (unit == "m")
            factor = 60 * 1000;
        else if (unit == "h")
            factor = 60 * 60 * 1000;
        else if (unit == "d")
            factor = 24 * 60 * 60 * 1000;
        else
            return invalid();
        if (value > (1LL << 40) / factor)
            return makeError(ErrorCode::InvalidArgument, "'" + std::string(text) + "' is too long");
        total += std::chrono::milliseconds(value * factor);
    }
    return total;
}

std::string formatDuration(std::chrono::milliseconds duration)
{
    long long ms = duration.count();
    if (ms == 0)
        return "0s";
    std::string out;
    if (ms < 0) {
        out = "-";
        ms = -ms;
    }
    const struct {
        long long factor;
        const char *unit;
    } units[] = {{86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}, {1, "ms"}};
    for (const auto &u : units) {
        if (ms >= u.factor) {
            out += std::to_string(ms / u.factor) + u.unit;
            ms %= u.factor;
        }
    }
    return out;
}

} // namespace meshcore
