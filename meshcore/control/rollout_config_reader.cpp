#include "control/rollout_config_reader.h"

#include <cctype>
#include <map>

#include "control/yaml_reader.h"

namespace meshcore::control {
namespace {

using namespace yaml;

void expectMap(const YAML::Node &node, const std::string &what, const std::string &shape)
{
    if (!node.IsMap())
        fail(node, "'" + what + "' must be a map like " + shape);
}

// An HTTP token (RFC 9110): what a header or cookie name may be made of.
bool isToken(const std::string &text)
{
    static const std::string Extra = "!#$%&'*+-.^_`|~";
    if (text.empty())
        return false;
    for (const char c : text)
        if (!std::isalnum(static_cast<unsigned char>(c)) && Extra.find(c) == std::string::npos)
            return false;
    return true;
}

RequestMatch readMatch(const YAML::Node &node)
{
    expectMap(node, "match",
              "{header: x-canary, value: \"yes\"} or {cookie: canary, value: always}");
    expectKeys(node, "'match'", {"header", "cookie", "value"});
    const auto header = node["header"];
    const auto cookie = node["cookie"];
    if (!header == !cookie)
        fail(node, "'match' needs exactly one of 'header' and 'cookie'");
    if (!node["value"])
        fail(node, "'match' needs the 'value' to match exactly");
    RequestMatch match;
    match.kind = header ? RequestMatch::Kind::Header : RequestMatch::Kind::Cookie;
    const auto &nameNode = header ? header : cookie;
    match.name = scalar(nameNode, header ? "'header'" : "'cookie'");
    if (!isToken(match.name))
        fail(nameNode,
             "'" + match.name
                 + "' is not a header or cookie name (letters, digits and !#$%&'*+-.^_`|~)");
    match.value = scalar(node["value"], "'value'");
    return match;
}

AnalysisConfig readAnalysis(const YAML::Node &node)
{
    expectMap(node, "analysis", "{min_success_rate: 99, max_p99: 500ms, min_requests: 20}");
    expectKeys(node, "'analysis'",
               {"min_success_rate", "max_p99", "min_requests", "max_success_rate_drop",
                "max_p99_ratio", "failure_threshold", "max_hold"});
    AnalysisConfig analysis;
    if (const auto n = node["min_success_rate"])
        analysis.minSuccessRate = number(n, "'min_success_rate' (percent)", 0, 100);
    if (const auto n = node["max_p99"]) {
        if (n.IsScalar() && n.Scalar() == "none")
            analysis.maxP99Ms.reset();
        else
            analysis.maxP99Ms = static_cast<double>(millis(n, "'max_p99'", Millis(1)).count());
    }
    if (const auto n = node["min_requests"])
        analysis.minRequests = whole(n, "'min_requests'", 1, 1000000);
    if (const auto n = node["max_success_rate_drop"])
        analysis.maxSuccessRateDrop = number(n, "'max_success_rate_drop' (points)", 0, 100);
    if (const auto n = node["max_p99_ratio"])
        analysis.maxP99Ratio = number(n, "'max_p99_ratio'", 1, 1000);
    if (const auto n = node["failure_threshold"])
        analysis.failureThreshold = whole(n, "'failure_threshold'", 1, 1000);
    if (const auto n = node["max_hold"])
        analysis.maxHold = duration(n, "'max_hold'");
    return analysis;
}

AnalysisTrafficConfig readTraffic(const YAML::Node &node)
{
    expectMap(node, "analysis_traffic", "{rps: 10, paths: [/, /items]}");
    expectKeys(node, "'analysis_traffic'", {"rps", "paths", "when_idle"});
    AnalysisTrafficConfig traffic;
    traffic.enabled = true;
    if (const auto idle = node["when_idle"]) {
        const auto text = scalar(idle, "'when_idle'");
        if (text != "true" && text != "false")
            fail(idle, "'when_idle' is true or false");
        traffic.whenIdle = text == "true";
    }
    if (const auto rps = node["rps"]) {
        traffic.rps = number(rps, "'rps'", 0, 1000);
        if (traffic.rps <= 0)
            fail(rps, "'rps' must be more than 0");
    }
    if (const auto paths = node["paths"]) {
        if (!paths.IsSequence() || paths.size() == 0)
            fail(paths, "'paths' must be a list of at least one path, like [/, /items]");
        traffic.paths.clear();
        for (const auto &entry : paths) {
            const auto path = scalar(entry, "an analysis path");
            if (!path.starts_with("/") || path.size() > 1024)
                fail(entry, "paths start with '/' and are at most 1024 bytes, not '" + path + "'");
            traffic.paths.push_back(path);
        }
    }
    return traffic;
}

// Refuses a key that the rollout's strategy does not use: it would silently do nothing.
void expectOnlyFor(const YAML::Node &node, const char *key, RolloutStrategy owner,
                   const RolloutSpec &spec)
{
    if (node[key] && spec.strategy != owner
        && !(owner == RolloutStrategy::BlueGreen && spec.strategy == RolloutStrategy::AB))
        fail(node[key],
             std::string("'") + key + "' is not used by a " + rolloutStrategyName(spec.strategy)
                 + " rollout");
}

void readStrategyFields(const YAML::Node &node, RolloutSpec &spec)
{
    expectOnlyFor(node, "step_weight", RolloutStrategy::Canary, spec);
    expectOnlyFor(node, "max_weight", RolloutStrategy::Canary, spec);
    expectOnlyFor(node, "iterations", RolloutStrategy::BlueGreen, spec); // and A/B
    expectOnlyFor(node, "match", RolloutStrategy::AB, spec);
    if (const auto n = node["step_weight"])
        spec.stepWeight = whole(n, "'step_weight' (percent)", 1, 100);
    if (const auto n = node["max_weight"])
        spec.maxWeight = whole(n, "'max_weight' (percent)", 1, 100);
    if (spec.strategy == RolloutStrategy::Canary && spec.maxWeight < spec.stepWeight)
        fail(node["max_weight"] ? node["max_weight"] : node["step_weight"],
             "'max_weight' (" + std::to_string(spec.maxWeight) + ") cannot be below 'step_weight' ("
                 + std::to_string(spec.stepWeight) + ")");
    if (const auto n = node["iterations"])
        spec.iterations = whole(n, "'iterations'", 1, 1000);
    if (const auto n = node["match"])
        spec.match = readMatch(n);
    if (spec.strategy == RolloutStrategy::AB && !spec.match)
        fail(node,
             "an ab rollout needs 'match': {header: NAME, value: V} or {cookie: NAME, value: V}");
}

RolloutSpec readRollout(const YAML::Node &node)
{
    expectMap(node, "rollouts", "{service: web, stable: v1, candidate: v2}");
    expectKeys(node, "a rollout",
               {"service", "namespace", "stable", "candidate", "strategy", "step_weight",
                "max_weight", "interval", "iterations", "match", "analysis", "analysis_traffic",
                "max_evidence_age"});
    for (const char *key : {"service", "stable", "candidate"})
        if (!node[key])
            fail(node, std::string("a rollout needs '") + key + "'");
    RolloutSpec spec;
    spec.service = label(node["service"], "service name");
    spec.stable = label(node["stable"], "version name");
    spec.candidate = label(node["candidate"], "version name");
    if (spec.candidate == spec.stable)
        fail(node["candidate"],
             "the candidate must be another version than stable '" + spec.stable + "'");
    if (const auto n = node["namespace"])
        spec.ns = label(n, "namespace");
    if (const auto n = node["strategy"]) {
        const auto strategy = rolloutStrategyFromName(scalar(n, "'strategy'"));
        if (!strategy)
            fail(n, "unknown strategy '" + n.Scalar() + "' (expected canary, blue-green or ab)");
        spec.strategy = *strategy;
    }
    readStrategyFields(node, spec);
    if (const auto n = node["interval"]) {
        spec.interval = duration(n, "'interval'");
        if (spec.interval > std::chrono::hours(24))
            fail(n, "'interval' must be at most 24h");
    }
    if (const auto n = node["analysis"])
        spec.analysis = readAnalysis(n);
    if (const auto n = node["analysis_traffic"])
        spec.traffic = readTraffic(n);
    else if (spec.strategy == RolloutStrategy::BlueGreen)
        spec.traffic.enabled = true; // its candidate's only traffic before promotion
    if (const auto n = node["max_evidence_age"])
        spec.maxEvidenceAge = duration(n, "'max_evidence_age'");
    if (auto problem = rolloutSpecProblem(spec))
        fail(node, *problem); // a backstop: the checks above point at the field
    return spec;
}

std::string versionList(const ServiceConfig &service)
{
    std::string names;
    for (const auto &version : service.versions)
        names += (names.empty() ? "" : ", ") + version.name;
    return names;
}

// The service the rollout names; without 'namespace', the one service of that name.
const ServiceConfig &serviceOf(const YAML::Node &node, RolloutSpec &spec,
                               const std::vector<ServiceConfig> &services)
{
    std::vector<const ServiceConfig *> named;
    for (const auto &service : services)
        if (service.name == spec.service)
            named.push_back(&service);
    std::string namespaces;
    for (const auto *service : named) {
        if (node["namespace"] ? service->ns == spec.ns : named.size() == 1) {
            spec.ns = service->ns;
            return *service;
        }
        namespaces += (namespaces.empty() ? "" : ", ") + service->ns;
    }
    if (named.empty())
        fail(node["service"],
             "the rollout names service '" + spec.service + "', which this mesh does not have");
    if (!node["namespace"])
        fail(node["service"],
             "service '" + spec.service + "' is in several namespaces (" + namespaces
                 + "): add 'namespace'");
    fail(node["namespace"],
         "there is no service '" + spec.service + "' in namespace '" + spec.ns
             + "' (it is in: " + namespaces + ")");
}

void expectVersion(const YAML::Node &node, const ServiceConfig &service, const std::string &name)
{
    for (const auto &version : service.versions)
        if (version.name == name)
            return;
    fail(node,
         "service '" + service.name + "' has no version '" + name
             + "' (it has: " + versionList(service) + ")");
}

} // namespace

std::vector<RolloutSpec> readRollouts(const YAML::Node &node,
                                      const std::vector<ServiceConfig> &services)
{
    if (!node.IsSequence())
        fail(node, "'rollouts' must be a list of rollouts");
    std::vector<RolloutSpec> rollouts;
    std::map<std::pair<std::string, std::string>, int> lines; // (service, namespace) -> line
    for (const auto &entry : node) {
        auto spec = readRollout(entry);
        const auto &service = serviceOf(entry, spec, services);
        expectVersion(entry["stable"], service, spec.stable);
        expectVersion(entry["candidate"], service, spec.candidate);
        const auto [first, fresh]
            = lines.emplace(std::pair {spec.service, spec.ns}, entry.Mark().line);
        if (!fresh)
            fail(entry["service"],
                 "service '" + spec.service + "' already has a rollout (at line "
                     + std::to_string(first->second + 1) + "); one rollout per service");
        rollouts.push_back(std::move(spec));
    }
    return rollouts;
}

} // namespace meshcore::control
