#include "control/upstream_config_reader.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "control/yaml_reader.h"

namespace meshcore::control {
namespace {

using namespace yaml;

// What meshd sets in every supervised process's environment (workload_supervision.cpp).
const std::set<std::string> &meshdVariables()
{
    static const std::set<std::string> Names
        = {"PORT",     "http_proxy",    "HTTP_PROXY",       "no_proxy",
           "NO_PROXY", "MESHSCOPE_POD", "MESHSCOPE_SERVICE"};
    return Names;
}

bool isVariableName(const std::string &name)
{
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name.front())))
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isupper(static_cast<unsigned char>(c))
            || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
    });
}

// catalog.shop -> CATALOG_ADDR, order-api -> ORDER_API_ADDR.
std::string defaultVariable(const std::string &service)
{
    std::string name;
    for (const char c : service.substr(0, service.find('.')))
        name += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return name + "_ADDR";
}

UpstreamConfig readUpstream(const YAML::Node &node)
{
    UpstreamConfig upstream;
    if (node.IsScalar()) {
        upstream.service = scalar(node, "an upstream");
    } else {
        if (!node.IsMap())
            fail(node,
                 "an upstream is a service name, or a map like {service: catalog, port: "
                 "15001, env: CATALOG_ADDR}");
        expectKeys(node, "an upstream", {"service", "port", "env"});
        if (!node["service"])
            fail(node, "an upstream needs the 'service' it reaches");
        upstream.service = scalar(node["service"], "'service'");
        if (const auto p = node["port"]; p && !(p.IsScalar() && p.Scalar() == "auto"))
            upstream.port = port(p, "'port'");
        if (const auto env = node["env"]) {
            upstream.env = scalar(env, "'env'");
            if (!isVariableName(upstream.env))
                fail(env,
                     "'" + upstream.env
                         + "' is not an environment variable name (A-Z, 0-9 and _, like "
                           "CATALOG_ADDR)");
        }
    }
    if (!isDnsName(upstream.service))
        fail(node, "'" + upstream.service + "' is not a service name (svc or svc.namespace)");
    if (upstream.env.empty())
        upstream.env = defaultVariable(upstream.service);
    return upstream;
}

std::size_t replicaCount(const ServiceConfig &service)
{
    std::size_t count = 0;
    for (const auto &version : service.versions)
        count += version.replicas.size();
    return count;
}

// One list's checks; `ports` holds the fixed ports taken so far, with their owner.
void checkList(const YAML::Node &list, const std::vector<UpstreamConfig> &upstreams,
               const MeshConfig &config, const ServiceConfig *caller,
               std::map<std::uint16_t, std::string> &ports)
{
    const std::string owner = caller ? "service " + caller->name : "the mesh's upstreams";
    std::set<std::string> variables;
    for (std::size_t i = 0; i < upstreams.size(); ++i) {
        const auto &u = upstreams[i];
        const YAML::Node node = list[i];
        const YAML::Node at = node.IsMap() && node["port"] ? node["port"] : node;
        const auto *target = config.findService(u.service);
        if (!target)
            fail(node,
                 "upstream '" + u.service
                     + "' names no service of this mesh (or one in "
                       "several namespaces: add .namespace)");
        if (target == caller)
            fail(node, "service " + caller->name + " cannot be its own upstream");
        if (!variables.insert(u.env).second)
            fail(node, owner + " sets " + u.env + " twice: give one upstream another 'env'");
        if (meshdVariables().contains(u.env))
            fail(node, u.env + " is set by meshd itself; pick another 'env'");
        if (!isVariableName(u.env))
            fail(node,
                 "'" + u.env
                     + "' is not an environment variable name: give the upstream an "
                       "'env', like CATALOG_ADDR");
        if (caller)
            for (const auto &version : caller->versions)
                for (const auto &replica : version.replicas)
                    if (replica.env.contains(u.env))
                        fail(node,
                             "service " + caller->name + " sets " + u.env
                                 + " in a replica's 'env' too: give the upstream another "
                                   "'env'");
        if (u.port == 0)
            continue;
        if (caller && replicaCount(*caller) > 1)
            fail(at,
                 "service " + caller->name + " has " + std::to_string(replicaCount(*caller))
                     + " replicas and each binds its own upstream port: use 'port: auto'");
        if (u.port == 4140 || u.port == 4191)
            fail(at,
                 "port " + std::to_string(u.port)
                     + " is meshd's own (admin 4191, outbound 4140); pick another");
        const auto [it, fresh] = ports.emplace(u.port, owner);
        if (!fresh)
            fail(at, "port " + std::to_string(u.port) + " is already used by " + it->second);
    }
}

} // namespace

std::vector<UpstreamConfig> readUpstreams(const YAML::Node &node)
{
    if (!node.IsSequence())
        fail(node, "'upstreams' must be a list, like [catalog, {service: db, port: 15432}]");
    std::vector<UpstreamConfig> upstreams;
    for (const auto &entry : node)
        upstreams.push_back(readUpstream(entry));
    return upstreams;
}

void checkUpstreams(const YAML::Node &root, const MeshConfig &config)
{
    std::map<std::uint16_t, std::string> ports;
    for (const auto &service : config.services)
        for (const auto &version : service.versions)
            for (const auto &replica : version.replicas)
                if (replica.port != 0)
                    ports.emplace(replica.port, service.name + " " + version.name);
    const auto services = root["services"];
    for (std::size_t i = 0; i < config.services.size(); ++i)
        if (const auto list = services[i]["upstreams"])
            checkList(list, config.services[i].upstreams, config, &config.services[i], ports);
    if (const auto list = root["upstreams"])
        checkList(list, config.upstreams, config, nullptr, ports);
}

} // namespace meshcore::control
