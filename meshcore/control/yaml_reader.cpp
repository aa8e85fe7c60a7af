#include "control/yaml_reader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <regex>
#include <sstream>
#include <utility>
#include <vector>

#include <yaml-cpp/eventhandler.h>

#include "core/duration.h"
#include "core/utf8.h"

namespace meshcore::control::yaml {

void fail(const YAML::Node &node, std::string message)
{
    throw ConfigProblem {node.Mark(), std::move(message)};
}

void expectUtf8(std::string_view text)
{
    const auto bad = invalidUtf8Offset(text);
    if (bad == std::string_view::npos)
        return;
    const auto before = text.substr(0, bad);
    const auto newline = before.rfind('\n');
    const auto line = before.substr(newline == std::string_view::npos ? 0 : newline + 1);
    YAML::Mark mark;
    mark.pos = static_cast<int>(bad);
    mark.line = static_cast<int>(std::count(before.begin(), before.end(), '\n'));
    // In characters, as editors count them (what precedes `bad` is valid UTF-8).
    mark.column = static_cast<int>(std::count_if(line.begin(), line.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[bad]));
    throw ConfigProblem {
        mark, std::string("invalid UTF-8 (byte ") + byte + "): the file must be UTF-8 text"};
}

namespace {

// Walks the parser's events (each node once, aliases not followed) keeping the keys seen in each
// open mapping.
class DuplicateKeyFinder : public YAML::EventHandler {
public:
    void OnDocumentStart(const YAML::Mark &) override { }
    void OnDocumentEnd() override { }
    void OnNull(const YAML::Mark &mark, YAML::anchor_t) override { node(mark, nullptr); }
    void OnAlias(const YAML::Mark &mark, YAML::anchor_t) override { node(mark, nullptr); }
    void OnScalar(const YAML::Mark &mark, const std::string &, YAML::anchor_t,
                  const std::string &value) override
    {
        node(mark, &value);
    }
    void OnSequenceStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t,
                         YAML::EmitterStyle::value) override
    {
        node(mark, nullptr);
        m_levels.push_back({false, true, {}});
    }
    void OnSequenceEnd() override { m_levels.pop_back(); }
    void OnMapStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t,
                    YAML::EmitterStyle::value) override
    {
        node(mark, nullptr);
        m_levels.push_back({true, true, {}});
    }
    void OnMapEnd() override { m_levels.pop_back(); }

private:
    struct Level {
        bool map;
        bool atKey; // in a map: the next node is a key, not a value
        std::map<std::string, int> keys; // scalar key -> its line
    };

    // A node begins; in a map, keys and values alternate.
    void node(const YAML::Mark &mark, const std::string *scalar)
    {
        if (m_levels.empty() || !m_levels.back().map)
            return;
        auto &level = m_levels.back();
        const bool isKey = std::exchange(level.atKey, !level.atKey);
        if (!isKey || !scalar)
            return;
        const auto [first, inserted] = level.keys.emplace(*scalar, mark.line);
        if (!inserted)
            throw ConfigProblem {mark,
                                 "duplicate key '" + *scalar + "' (first at line "
                                     + std::to_string(first->second + 1) + ")"};
    }

    std::vector<Level> m_levels;
};

} // namespace

void expectUniqueKeys(std::string_view text)
{
    std::istringstream stream {std::string(text)};
    YAML::Parser parser(stream);
    DuplicateKeyFinder finder;
    parser.HandleNextDocument(finder);
}

void expectKeys(const YAML::Node &map, std::string_view where,
                std::initializer_list<std::string_view> allowed)
{
    for (const auto &entry : map) {
        const auto key = entry.first.as<std::string>();
        bool known = false;
        std::string list;
        for (const auto candidate : allowed) {
            known = known || key == candidate;
            list += (list.empty() ? "" : ", ") + std::string(candidate);
        }
        if (!known) {
            std::string message = "unknown key '" + key + "' in ";
            message += where;
            message += " (expected one of: " + list + ")";
            fail(entry.first, message);
        }
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
        fail(node,
             std::string(what) + " must be a port number from 1 to 65535, not '" + text + "'");
    return static_cast<std::uint16_t>(value);
}

std::chrono::seconds duration(const YAML::Node &node, std::string_view what,
                              std::chrono::seconds minimum)
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

std::chrono::milliseconds millis(const YAML::Node &node, std::string_view what,
                                 std::chrono::milliseconds minimum)
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
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        fail(node, std::string(what) + " must be a number, not '" + text + "'");
    if (!(value >= minimum && value <= maximum)) {
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
        fail(node,
             std::string(what) + " must be from " + std::to_string(minimum) + " to "
                 + std::to_string(maximum) + ", not " + text);
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
        const auto part
            = text.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
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
    auto text = scalar(node, what);
    if (!isDnsLabel(text))
        fail(node,
             std::string(what) + " '" + text
                 + "' must be lower-case letters, digits and '-', at most 63 characters");
    return text;
}

} // namespace meshcore::control::yaml
