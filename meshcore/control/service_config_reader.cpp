#include "control/service_config_reader.h"

#include <map>
#include <set>

#include "control/policy_config_reader.h"
#include "control/upstream_config_reader.h"
#include "control/yaml_reader.h"

namespace meshcore::control {
namespace {

using namespace yaml;

// Ports meshd itself listens on by default; a workload there would never be reached.
constexpr std::uint16_t ReservedPorts[] = {4140, 4191};

const std::set<std::string> &httpMethods()
{
    static const std::set<std::string> Methods
        = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"};
    return Methods;
}

std::vector<std::string> readCommand(const YAML::Node &node)
{
    if (node.IsScalar()) {
        if (node.Scalar().empty())
            fail(node, "'command' must not be empty");
        return {"/bin/sh", "-c", node.Scalar()};
    }
    if (!node.IsSequence() || node.size() == 0)
        fail(node,
             "'command' must be a list of arguments, like [python3, app.py], or one shell line");
    std::vector<std::string> command;
    for (const auto &argument : node)
        command.push_back(scalar(argument, "each argument of 'command'"));
    return command;
}

ReplicaConfig readReplicaRest(const YAML::Node &node, ReplicaConfig replica);

ReplicaConfig readReplica(const YAML::Node &node)
{
    if (!node.IsMap())
        fail(node, "a replica must be a map with 'port' and optionally 'command' and 'env'");
    expectKeys(node, "a replica", {"port", "command", "env"});
    ReplicaConfig replica;
    if (!node["port"])
        fail(node, "a replica needs the 'port' its process listens on (on 127.0.0.1), or 'auto'");
    if (node["port"].IsScalar() && node["port"].Scalar() == "auto") {
        if (!node["command"])
            fail(node["port"], "'port: auto' needs a 'command' (meshd tells it the port in $PORT)");
        return readReplicaRest(node, replica);
    }
    replica.port = port(node["port"], "'port'");
    for (const auto reserved : ReservedPorts)
        if (replica.port == reserved)
            fail(node["port"],
                 "port " + std::to_string(reserved)
                     + " is meshd's own (admin 4191, outbound 4140); pick another");
    return readReplicaRest(node, replica);
}

ReplicaConfig readReplicaRest(const YAML::Node &node, ReplicaConfig replica)
{
    if (const auto command = node["command"])
        replica.command = readCommand(command);
    if (const auto env = node["env"]) {
        if (!env.IsMap())
            fail(env, "'env' must be a map of NAME: value");
        for (const auto &entry : env)
            replica.env[scalar(entry.first, "an 'env' name")]
                = scalar(entry.second, "an 'env' value");
    }
    return replica;
}

VersionConfig readVersion(const YAML::Node &node)
{
    if (!node.IsMap())
        fail(node, "a version must be a map with 'name' and 'replicas'");
    expectKeys(node, "a version", {"name", "replicas"});
    VersionConfig version;
    if (!node["name"])
        fail(node, "a version needs a 'name', like v1");
    version.name = label(node["name"], "version name");
    const auto replicas = node["replicas"];
    if (!replicas || !replicas.IsSequence() || replicas.size() == 0)
        fail(replicas ? replicas : node,
             "a version needs 'replicas': a list of at least one {port: ...}");
    for (const auto &replica : replicas)
        version.replicas.push_back(readReplica(replica));
    return version;
}

RouteConfig readRoute(const YAML::Node &node)
{
    if (!node.IsMap())
        fail(node, "a route must be a map with 'name' and 'path_prefix' or 'path'");
    expectKeys(node, "a route",
               {"name", "method", "path_prefix", "path", "timeout", "retries", "faults"});
    RouteConfig route;
    if (!node["name"])
        fail(node, "a route needs a 'name'");
    route.name = label(node["name"], "route name");
    if (const auto method = node["method"]) {
        route.method = scalar(method, "'method'");
        if (!httpMethods().contains(route.method))
            fail(method,
                 "'" + route.method
                     + "' is not an HTTP method (GET, POST, PUT, DELETE, ...; upper case)");
    }
    const auto prefix = node["path_prefix"];
    const auto exact = node["path"];
    if (!prefix == !exact)
        fail(node, "a route needs exactly one of 'path_prefix' and 'path'");
    const auto &pathNode = prefix ? prefix : exact;
    const auto path = scalar(pathNode, prefix ? "'path_prefix'" : "'path'");
    if (!path.starts_with("/"))
        fail(pathNode, "paths start with '/', not '" + path + "'");
    (prefix ? route.pathPrefix : route.path) = path;
    route.policy = readRequestPolicy(node);
    return route;
}

ServiceConfig readService(const YAML::Node &node)
{
    if (!node.IsMap())
        fail(node, "a service must be a map with 'name' and 'versions'");
    expectKeys(node, "a service",
               {"name", "namespace", "versions", "routes", "split", "timeout", "retries", "faults",
                "retry_budget", "failure_accrual", "load_balancer", "upstreams", "protocol",
                "tcp_idle_timeout"});
    ServiceConfig service;
    if (!node["name"])
        fail(node, "a service needs a 'name'");
    service.name = label(node["name"], "service name");
    if (const auto ns = node["namespace"])
        service.ns = label(ns, "namespace");
    const auto versions = node["versions"];
    if (!versions || !versions.IsSequence() || versions.size() == 0)
        fail(versions ? versions : node,
             "service '" + service.name + "' needs 'versions': a list of at least one");
    std::set<std::string> versionNames;
    for (const auto &version : versions) {
        service.versions.push_back(readVersion(version));
        if (!versionNames.insert(service.versions.back().name).second)
            fail(version["name"],
                 "service '" + service.name + "' has two versions named '"
                     + service.versions.back().name + "'");
    }
    if (const auto routes = node["routes"]) {
        if (!routes.IsSequence())
            fail(routes, "'routes' must be a list");
        std::set<std::string> routeNames;
        for (const auto &route : routes) {
            service.routes.push_back(readRoute(route));
            if (!routeNames.insert(service.routes.back().name).second)
                fail(route["name"],
                     "service '" + service.name + "' has two routes named '"
                         + service.routes.back().name + "'");
        }
    }
    service.policy = readRequestPolicy(node);
    if (const auto split = node["split"])
        service.split = readSplit(split, service.versions);
    if (const auto budget = node["retry_budget"])
        service.retryBudget = readRetryBudget(budget);
    if (const auto accrual = node["failure_accrual"])
        service.failureAccrual = readFailureAccrual(accrual);
    if (const auto balancer = node["load_balancer"])
        service.balancer = readBalancer(balancer);
    if (const auto upstreams = node["upstreams"])
        service.upstreams = readUpstreams(upstreams);
    if (const auto protocol = node["protocol"]) {
        const auto name = scalar(protocol, "protocol");
        if (name != "detect" && name != "tcp")
            fail(protocol,
                 "protocol is 'detect' (HTTP/1, HTTP/2 or TCP, from the first bytes) or "
                 "'tcp' (opaque, for protocols where the server speaks first), not '"
                     + name + "'");
        service.protocol = name == "tcp" ? Protocol::Tcp : Protocol::Detect;
    }
    if (const auto idle = node["tcp_idle_timeout"])
        service.tcpIdleTimeout = duration(idle, "tcp_idle_timeout");
    return service;
}

} // namespace

std::vector<ServiceConfig> readServices(const YAML::Node &node)
{
    if (!node.IsSequence())
        fail(node, "'services' must be a list of services");
    std::vector<ServiceConfig> services;
    std::set<std::pair<std::string, std::string>> names;
    std::map<std::uint16_t, std::string> ports; // port -> service that uses it
    for (const auto &entry : node) {
        auto service = readService(entry);
        if (!names.insert({service.name, service.ns}).second)
            fail(entry["name"],
                 "there are two services named '" + service.name + "' in namespace '" + service.ns
                     + "'");
        std::size_t v = 0;
        for (const auto &version : service.versions) {
            std::size_t r = 0;
            for (const auto &replica : version.replicas) {
                const auto owner = service.name + " " + version.name;
                if (replica.port == 0) { // auto: free ones, picked at start
                    ++r;
                    continue;
                }
                const auto [it, fresh] = ports.emplace(replica.port, owner);
                if (!fresh)
                    fail(entry["versions"][v]["replicas"][r]["port"],
                         "port " + std::to_string(replica.port) + " is already used by "
                             + it->second);
                ++r;
            }
            ++v;
        }
        services.push_back(std::move(service));
    }
    return services;
}

} // namespace meshcore::control
