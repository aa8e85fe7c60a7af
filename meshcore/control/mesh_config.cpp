#include "control/mesh_config.h"

#include <regex>

#include <yaml-cpp/yaml.h>

#include "core/duration.h"
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

std::chrono::seconds duration(const YAML::Node &node, std::string_view what,
                              std::chrono::seconds minimum = std::chrono::seconds(1))
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

IdentityConfig readIdentity(const YAML::Node &node)
{
    if (!node.IsMap())
        fail(node, "'identity' must be a map of certificate lifetimes");
    expectKeys(node, "'identity'", {"trust_anchor_lifetime", "issuer_lifetime", "workload_lifetime", "clock_skew"});
    IdentityConfig identity;
    if (const auto n = node["trust_anchor_lifetime"])
        identity.trustAnchorLifetime = duration(n, "'trust_anchor_lifetime'");
    if (const auto n = node["issuer_lifetime"])
        identity.issuerLifetime = duration(n, "'issuer_lifetime'");
    if (const auto n = node["workload_lifetime"])
        identity.workloadLifetime = duration(n, "'workload_lifetime'");
    if (const auto n = node["clock_skew"])
        identity.clockSkew = duration(n, "'clock_skew'", std::chrono::seconds(0));
    if (identity.issuerLifetime > identity.trustAnchorLifetime)
        fail(node, "issuer_lifetime cannot be longer than trust_anchor_lifetime");
    if (identity.workloadLifetime > identity.issuerLifetime)
        fail(node, "workload_lifetime cannot be longer than issuer_lifetime");
    return identity;
}

MeshConfig readConfig(const YAML::Node &root)
{
    if (!root.IsMap())
        fail(root, "the configuration must be a map with a 'mesh' section");
    expectKeys(root, "the configuration", {"mesh", "identity"});
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
    if (const auto identity = root["identity"])
        config.identity = readIdentity(identity);
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
