#include "control/mesh_config.h"

#include "control/rollout_config_reader.h"
#include "control/service_config_reader.h"
#include "control/upstream_config_reader.h"
#include "control/yaml_reader.h"
#include "core/state_dir.h"

namespace meshcore::control {
namespace {

using namespace yaml;

IdentityConfig readIdentity(const YAML::Node &node)
{
    if (!node.IsMap())
        fail(node, "'identity' must be a map of certificate lifetimes");
    expectKeys(node, "'identity'",
               {"trust_anchor_lifetime", "issuer_lifetime", "workload_lifetime", "clock_skew"});
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

LoadConfig readLoad(const YAML::Node &node, const std::vector<ServiceConfig> &services)
{
    if (!node.IsMap())
        fail(node, "'load' must be a map like {rate: 10, targets: [http://frontend.demo/]}");
    expectKeys(node, "'load'", {"rate", "targets", "concurrency"});
    LoadConfig load;
    if (!node["rate"] || !node["targets"])
        fail(node, "'load' needs 'rate' (requests per second) and 'targets' (URLs)");
    load.rate = number(node["rate"], "'rate'", 0, 10000);
    const auto targets = node["targets"];
    if (!targets.IsSequence() || targets.size() == 0)
        fail(targets, "'targets' must be a list of URLs like http://frontend.demo/");
    for (const auto &target : targets) {
        const auto url = scalar(target, "a load target");
        if (!url.starts_with("http://"))
            fail(target, "load targets are http:// URLs naming a service, not '" + url + "'");
        const auto host = url.substr(7, url.find_first_of(":/?", 7) - 7);
        const auto name = host.substr(0, host.find('.'));
        bool known = false;
        for (const auto &service : services)
            known = known || service.name == name;
        if (!known)
            fail(target, "load target '" + url + "' names no service of this mesh");
        load.targets.push_back(url);
    }
    if (const auto concurrency = node["concurrency"])
        load.concurrency = whole(concurrency, "'concurrency'", 1, 64);
    return load;
}

MeshConfig readConfig(const YAML::Node &root)
{
    if (!root.IsMap())
        fail(root, "the configuration must be a map with a 'mesh' section");
    expectKeys(root, "the configuration",
               {"mesh", "identity", "services", "upstreams", "load", "rollouts"});
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
    config.name = label(name, "mesh name");
    if (const auto domain = mesh["trust_domain"]) {
        config.trustDomain = scalar(domain, "'trust_domain'");
        if (!isDnsName(config.trustDomain))
            fail(domain,
                 "trust domain '" + config.trustDomain + "' must be a DNS name such as mesh.local");
    }
    if (const auto identity = root["identity"])
        config.identity = readIdentity(identity);
    if (const auto services = root["services"])
        config.services = readServices(services);
    if (const auto upstreams = root["upstreams"])
        config.upstreams = readUpstreams(upstreams);
    checkUpstreams(root, config);
    if (const auto load = root["load"])
        config.load = readLoad(load, config.services);
    if (const auto rollouts = root["rollouts"])
        config.rollouts = readRollouts(rollouts, config.services);
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
        expectUtf8(yaml);
        const auto root = YAML::Load(std::string(yaml));
        expectUniqueKeys(yaml);
        auto config = readConfig(root);
        config.source = std::string(sourceName);
        return config;
    } catch (const ConfigProblem &problem) {
        return makeError(ErrorCode::Config,
                         position(sourceName, problem.mark) + ": " + problem.message);
    } catch (const YAML::Exception &e) {
        return makeError(ErrorCode::Config, position(sourceName, e.mark) + ": " + e.msg);
    }
}

std::string ServiceConfig::identity(const std::string &trustDomain) const
{
    return "spiffe://" + trustDomain + "/ns/" + ns + "/sa/" + name;
}

std::vector<BackendWeight> ServiceConfig::effectiveSplit() const
{
    std::vector<BackendWeight> weights;
    for (const auto &version : versions) {
        unsigned weight = static_cast<unsigned>(version.replicas.size());
        if (!split.empty()) {
            weight = 0;
            for (const auto &entry : split)
                if (entry.version == version.name)
                    weight = entry.weight;
        }
        weights.push_back({version.name, weight});
    }
    return weights;
}

const ServiceConfig *MeshConfig::findService(std::string_view wanted) const
{
    const auto dot = wanted.find('.');
    const auto wantedName = wanted.substr(0, dot);
    const auto wantedNs
        = dot == std::string_view::npos ? std::string_view() : wanted.substr(dot + 1);
    const ServiceConfig *found = nullptr;
    for (const auto &service : services) {
        if (service.name != wantedName || (!wantedNs.empty() && service.ns != wantedNs))
            continue;
        if (found)
            return nullptr; // ambiguous without a namespace
        found = &service;
    }
    return found;
}

Result<MeshConfig> loadMeshConfigFile(const std::filesystem::path &path)
{
    auto text = readSmallFile(path, 16 << 20);
    if (!text)
        return makeError(ErrorCode::Config, text.error().message);
    return parseMeshConfig(*text, path.string());
}

} // namespace meshcore::control
