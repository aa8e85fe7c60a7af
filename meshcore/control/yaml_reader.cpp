#include "control/yaml_reader.h"

#include <charconv>
#include <regex>
#include <sstream>

#include "core/duration.h"

namespace meshcore::control::yaml {

void fail(const YAML::Node &node, std::string message)
{
    throw ConfigProblem{node.Mark(), std::move(message)};
}

void expectKeys(const YAML::Node &map, std::string_view where, std::initializer_list<std::string_view> allowed)
{
    for (const auto &entry : map) {
        const auto key = entry.first.as<std::string>();
        bool known = false;
        std::string list;
        for (const auto candidate : allowed) {
            known = known || key == candidate;
            list += (list.empty() ? "" : ", ") + std::string(candidate);
        }
        if (!known)
            fail(entry.first, "unknown key '" + key + "' in " + std::string(where) + " (expected one of: " + list + ")");
    }
}

std::string scalar(const YAML::Node &node, std::string_view what)
{
    if (!node.IsScalar())
        fail(node, std::string(what) + " must be a plain value");
    return node.Scalar();
}

std::uint16_t port(const YAML::Node &node, std::string_view what)
{
    const auto text = scalar(node, what);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535)
        fail(node, std::string(what) + " must be a port number from 1 to 65535, not '" + text + "'");
    return static_cast<std::uint16_t>(value);
}

std::chrono::seconds duration(const YAML::Node &node, std::string_view what, std::chrono::seconds minimum)
{
    auto parsed = parseDuration(scalar(node, what));
    if (!parsed)
        fail(node, std::string(what) + ": " + parsed.error().message);
    if (*parsed < minimum)
        fail(node, std::string(what) + " must be at least " + formatDuration(minimum));
    if (parsed->count() % 1000 != 0)
        fail(node, std::string(what) + " must be whole seconds");
    return std::chrono::duration_cast<std::chrono::seconds>(*parsed);
}

std::chrono::milliseconds millis(const YAML::Node &node, std::string_view what, std::chrono::milliseconds minimum)
{
    auto parsed = parseDuration(scalar(node, what));
    if (!parsed)
        fail(node, std::string(what) + ": " + parsed.error().message);
    if (*parsed < minimum)
        fail(node, std::string(what) + " must be at least " + formatDuration(minimum));
    return *parsed;
}

double number(const YAML::Node &node, std::string_view what, double minimum, double maximum)
{
    const auto text = scalar(node, what);
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        fail(node, std::string(what) + " must be a number, not '" + text + "'");
    if (value < minimum || value > maximum) {
        std::ostringstream range;
        range << minimum << " to " << maximum;
        fail(node, std::string(what) + " must be from " + range.str() + ", not " + text);
    }
    return value;
}

unsigned whole(const YAML::Node &node, std::string_view what, unsigned minimum, unsigned maximum)
{
    const auto text = scalar(node, what);
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        fail(node, std::string(what) + " must be a whole number, not '" + text + "'");
    if (value < minimum || value > maximum)
        fail(node, std::string(what) + " must be from " + std::to_string(minimum) + " to " + std::to_string(maximum) + ", not " + text);
    return static_cast<unsigned>(value);
}

bool isDnsLabel(const std::string &text)
{
    static const std::regex Label("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    return std::regex_match(text, Label);
}

bool isDnsName(const std::string &text)
{
    if (text.empty() || text.size() > 253)
        return false;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto dot = text.find('.', start);
        const auto part = text.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!isDnsLabel(part))
            return false;
        if (dot == std::string::npos)
            break;
        start = dot + 1;
    }
    return true;
}

std::string label(const YAML::Node &node, std::string_view what)
{
    const auto text = scalar(node, what);
    if (!isDnsLabel(text))
        fail(node, std::string(what) + " '" + text + "' must be lower-case letters, digits and '-', at most 63 characters");
    return text;
}

} // namespace meshcore::control::yaml
