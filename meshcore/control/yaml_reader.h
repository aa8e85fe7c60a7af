#pragma once

// Internal to the configuration loader: reading yaml-cpp nodes with positions for errors.
// yaml-cpp types stay inside control/*.cpp; nothing outside meshcore includes this.

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

namespace meshcore::control::yaml {

// Thrown inside the loader only, to unwind to parseMeshConfig with a position; never escapes it.
struct ConfigProblem {
    YAML::Mark mark;
    std::string message;
};

[[noreturn]] void fail(const YAML::Node &node, std::string message);

// Fails at the first byte of `text` that is not UTF-8 (YAML is Unicode; yaml-cpp passes such
// bytes through into names and error messages).
void expectUtf8(std::string_view text);

// Fails at the second occurrence of a key in any mapping of the document in `text`: yaml-cpp
// keeps the first silently, so an edit lower down would be ignored without a word.
void expectUniqueKeys(std::string_view text);

// Fails on any key of `map` not in `allowed`, naming it and the allowed ones.
void expectKeys(const YAML::Node &map, std::string_view where,
                std::initializer_list<std::string_view> allowed);

std::string scalar(const YAML::Node &node, std::string_view what);
std::uint16_t port(const YAML::Node &node, std::string_view what);
std::chrono::seconds duration(const YAML::Node &node, std::string_view what,
                              std::chrono::seconds minimum = std::chrono::seconds(1));
// A duration with millisecond precision ("250ms", "2s"), at least `minimum`.
std::chrono::milliseconds millis(const YAML::Node &node, std::string_view what,
                                 std::chrono::milliseconds minimum);
// A number within [minimum, maximum].
double number(const YAML::Node &node, std::string_view what, double minimum, double maximum);
// A whole number within [minimum, maximum].
unsigned whole(const YAML::Node &node, std::string_view what, unsigned minimum, unsigned maximum);

bool isDnsLabel(const std::string &text);
bool isDnsName(const std::string &text);

// A required DNS-label value (names of meshes, services, versions, routes).
std::string label(const YAML::Node &node, std::string_view what);

} // namespace meshcore::control::yaml
