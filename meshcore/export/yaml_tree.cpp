#include "export/yaml_tree.h"

#include <charconv>
#include <regex>

#include <yaml-cpp/yaml.h>

namespace meshcore::kube {

Yaml::Yaml(Kind kind, std::string text)
    : m_kind(kind)
    , m_text(std::move(text))
{
}

Yaml::Yaml(std::string text)
    : Yaml(Kind::String, std::move(text))
{
}

Yaml::Yaml(const char *text)
    : Yaml(Kind::String, text)
{
}

Yaml Yaml::number(double value)
{
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return Yaml(Kind::Plain, ec == std::errc() ? std::string(buffer, end) : "0");
}

Yaml Yaml::boolean(bool value)
{
    return Yaml(Kind::Plain, value ? "true" : "false");
}

Yaml Yaml::map(std::initializer_list<std::pair<std::string, Yaml>> entries)
{
    Yaml value(Kind::Map, {});
    for (const auto &[key, item] : entries)
        value.set(key, item);
    return value;
}

Yaml Yaml::seq(std::initializer_list<Yaml> items)
{
    Yaml value(Kind::Seq, {});
    for (const auto &item : items)
        value.add(item);
    return value;
}

Yaml &Yaml::set(std::string key, Yaml value)
{
    m_keys.push_back(std::move(key));
    m_values.push_back(std::move(value));
    return *this;
}

Yaml &Yaml::add(Yaml item)
{
    m_values.push_back(std::move(item));
    return *this;
}

bool readsAsOtherThanString(const std::string &text)
{
    // YAML 1.1's booleans and nulls (what go-yaml v2 and so kubectl read), 1.2's numbers,
    // 1.1's octal, sexagesimal and '.' forms.
    static const std::regex Special(
        "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|"
        "null|Null|NULL|~|[-+]?(\\.inf|\\.Inf|\\.INF)|\\.nan|\\.NaN|\\.NAN|"
        "[-+]?[0-9][0-9_]*(\\.[0-9_]*)?([eE][-+]?[0-9]+)?|[-+]?\\.[0-9_]+([eE][-+]?[0-9]+)?|"
        "[-+]?0x[0-9a-fA-F_]+|[-+]?0o?[0-7_]+|[-+]?0b[01_]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+");
    return text.empty() || std::regex_match(text, Special);
}

class YamlWriter {
public:
    static void write(YAML::Emitter &out, const Yaml &value)
    {
        switch (value.m_kind) {
        case Yaml::Kind::String:
            if (readsAsOtherThanString(value.m_text))
                out << YAML::DoubleQuoted;
            out << value.m_text;
            break;
        case Yaml::Kind::Plain:
            out << value.m_text;
            break;
        case Yaml::Kind::Map:
            out << YAML::BeginMap;
            for (std::size_t i = 0; i < value.m_keys.size(); ++i) {
                out << YAML::Key;
                write(out, Yaml(value.m_keys[i]));
                out << YAML::Value;
                write(out, value.m_values[i]);
            }
            out << YAML::EndMap;
            break;
        case Yaml::Kind::Seq:
            out << YAML::BeginSeq;
            for (const auto &item : value.m_values)
                write(out, item);
            out << YAML::EndSeq;
            break;
        }
    }
};

std::string Yaml::text() const
{
    YAML::Emitter out;
    out.SetIndent(2);
    YamlWriter::write(out, *this);
    return out.c_str();
}

std::string yamlDocument(const std::vector<std::string> &comments, const Yaml &value)
{
    std::string text = "---\n";
    for (const auto &line : comments)
        text += line.empty() ? "#\n" : "# " + line + "\n";
    return text + value.text() + "\n";
}

} // namespace meshcore::kube
