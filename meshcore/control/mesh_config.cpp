#include "control/mesh_config.h"

#include <regex>

#include <yaml-cpp/yaml.h>

#include "core/state_dir.h"

namespace meshcore::control {
namespace {

// Thrown inside the loader only, to unwind to parseMeshConfig with a position; never escapes it.
struct ConfigProblem {
    YAML::Mark mark;
    std::string message;
};

[[noreturn]] void fail(const YAML::Node &node, std::string message)
{
    throw ConfigProblem{node.Mark(), std::move(message)};
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
        if (!known)
            fail(entry.first, "unknown key '" + key + "' in " + std::string(where)
                                  + " (expected one of: " + list + ")");
    }
}

std::string scalar(const YAML::Node &node, std::string_view what)
{
    if (!node.IsScalar())
        fail(node, std::string(what) + " must be a plain value");
    return node.Scalar();
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
        const auto label = text.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!isDnsLabel(label))
            return false;
        if (dot == std::string::npos)
            break;
        start = dot + 1;
    }
    return true;
}

MeshConfig readConfig(const YAML::Node &root)
{
    if (!root.IsMap())
        fail(root, "the configuration must be a map with a 'mesh' section");
    expectKeys(root, "the configuration", {"mesh"});
    const auto mesh = root["mesh"];
    if (!mesh)
        fail(root, "missing 'mesh' section (it names the mesh: mesh: {name: demo})");
    if (!mesh.IsMap())
        fail(mesh, "'mesh' must be a map with 'name' and optionally 'trust_domain'");
    expectKeys(mesh, "'mesh'", {"name", "trust_domain"});

    MeshConfig config;
    const auto name = mesh["name"];
    if (!name)
        fail(mesh, "'mesh' needs a 'name'");
    config.name = scalar(name, "'name'");
    if (!isDnsLabel(config.name))
        fail(name, "mesh name '" + config.name
                       + "' must be lower-case letters, digits and '-', at most 63 characters");
    if (const auto domain = mesh["trust_domain"]) {
        config.trustDomain = scalar(domain, "'trust_domain'");
        if (!isDnsName(config.trustDomain))
            fail(domain, "trust domain '" + config.trustDomain
                             + "' must be a DNS name such as mesh.local");
    }
    return config;
}

std::string position(std::string_view source, const YAML::Mark &mark)
{
    if (mark.is_null())
        return std::string(source);
    return std::string(source) + ":" + std::to_string(mark.line + 1) + ":"
           + std::to_string(mark.column + 1);
}

} // namespace

Result<MeshConfig> parseMeshConfig(std::string_view yaml, std::string_view sourceName)
{
    try {
        const auto root = YAML::Load(std::string(yaml));
        auto config = readConfig(root);
        config.source = std::string(sourceName);
        return config;
    } catch (const ConfigProblem &problem) {
        return makeError(ErrorCode::Config, position(sourceName, problem.mark) + ": " + problem.message);
    } catch (const YAML::Exception &e) {
        return makeError(ErrorCode::Config, position(sourceName, e.mark) + ": " + e.msg);
    }
}

Result<MeshConfig> loadMeshConfigFile(const std::filesystem::path &path)
{
    auto text = readSmallFile(path, 16 << 20);
    if (!text)
        return makeError(ErrorCode::Config, text.error().message);
    return parseMeshConfig(*text, path.string());
}

} // namespace meshcore::control
