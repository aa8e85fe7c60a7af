#pragma once

// A YAML value built in memory, in insertion order, and written out for Kubernetes: strings that
// a YAML 1.1 reader (kubectl's) would take for a number, a boolean or null are double-quoted, so
// `retry.linkerd.io/limit: "2"` stays the string an annotation must be.

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace meshcore::kube {

class Yaml {
public:
    Yaml(std::string text); // a string
    Yaml(const char *text);
    static Yaml number(double value);
    static Yaml boolean(bool value);
    static Yaml map(std::initializer_list<std::pair<std::string, Yaml>> entries = {});
    static Yaml seq(std::initializer_list<Yaml> items = {});

    Yaml &set(std::string key, Yaml value); // a map's entry, added at the end
    Yaml &add(Yaml item); // a sequence's item
    bool empty() const { return m_values.empty(); }

    // The value as YAML text (block style, two-space indent), without a trailing newline.
    std::string text() const;

private:
    enum class Kind { String, Plain, Map, Seq };
    Yaml(Kind kind, std::string text);
    friend class YamlWriter;

    Kind m_kind;
    std::string m_text; // String, Plain
    std::vector<std::string> m_keys; // Map
    std::vector<Yaml> m_values; // Map (with m_keys), Seq
};

// Whether a plain scalar `text` would not read back as that string (YAML 1.1 and 1.2: numbers,
// booleans, null, the empty string).
bool readsAsOtherThanString(const std::string &text);

// One document of a multi-document stream: "---", the comment lines (each "# " + line), the
// value, a newline.
std::string yamlDocument(const std::vector<std::string> &comments, const Yaml &value);

} // namespace meshcore::kube
