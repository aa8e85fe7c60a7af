#include "control/policy_config_reader.h"

#include <set>

#include "control/yaml_reader.h"
#include "core/duration.h"

namespace meshcore::control {
namespace {

using namespace yaml;

void expectMap(const YAML::Node &node, const std::string &what, const std::string &shape)
{
    if (!node.IsMap())
        fail(node, "'" + what + "' must be a map like " + shape);
}

RetryConfig readRetries(const YAML::Node &node)
{
    expectMap(node, "retries", "{limit: 1, on: [5xx, connect-failure]}");
    expectKeys(node, "'retries'", {"limit", "on", "non_idempotent", "backoff"});
    RetryConfig retries;
    if (const auto limit = node["limit"])
        retries.limit = whole(limit, "'limit'", 0, 10);
    const auto on = node["on"];
    if (!on)
        fail(node,
             "'retries' needs 'on': which failures to retry (5xx, gateway-error, connect-failure)");
    if (!on.IsSequence() || on.size() == 0)
        fail(on, "'on' must be a list of conditions: 5xx, gateway-error, connect-failure");
    for (const auto &condition : on) {
        const auto name = scalar(condition, "a retry condition");
        if (name == "5xx")
            retries.on.serverError = true;
        else if (name == "gateway-error")
            retries.on.gatewayError = true;
        else if (name == "connect-failure")
            retries.on.connectFailure = true;
        else
            fail(condition,
                 "unknown retry condition '" + name
                     + "' (expected 5xx, gateway-error or connect-failure)");
    }
    if (const auto nonIdempotent = node["non_idempotent"]) {
        const auto text = scalar(nonIdempotent, "'non_idempotent'");
        if (text != "true" && text != "false")
            fail(nonIdempotent, "'non_idempotent' must be true or false, not '" + text + "'");
        retries.nonIdempotent = text == "true";
    }
    if (const auto backoff = node["backoff"])
        retries.backoff = millis(backoff, "'backoff'", Millis(0));
    return retries;
}

FaultConfig readFaults(const YAML::Node &node)
{
    expectMap(node, "faults",
              "{abort: {percent: 20, status: 503}, delay: {percent: 10, duration: 200ms}}");
    expectKeys(node, "'faults'", {"delay", "abort"});
    FaultConfig faults;
    if (const auto delay = node["delay"]) {
        expectMap(delay, "delay", "{percent: 10, duration: 200ms}");
        expectKeys(delay, "'delay'", {"percent", "duration"});
        if (!delay["percent"] || !delay["duration"])
            fail(delay, "'delay' needs 'percent' and 'duration'");
        faults.delayPercent = number(delay["percent"], "'percent'", 0, 100);
        faults.delay = millis(delay["duration"], "'duration'", Millis(1));
    }
    if (const auto abort = node["abort"]) {
        expectMap(abort, "abort", "{percent: 20, status: 503}");
        expectKeys(abort, "'abort'", {"percent", "status"});
        if (!abort["percent"])
            fail(abort, "'abort' needs 'percent'");
        faults.abortPercent = number(abort["percent"], "'percent'", 0, 100);
        if (const auto status = abort["status"])
            faults.abortStatus = whole(status, "'status'", 400, 599);
    }
    return faults;
}

} // namespace

RequestPolicy readRequestPolicy(const YAML::Node &map)
{
    RequestPolicy policy;
    if (const auto timeout = map["timeout"])
        policy.timeout = millis(timeout, "'timeout'", Millis(1));
    if (const auto retries = map["retries"])
        policy.retries = readRetries(retries);
    if (const auto faults = map["faults"])
        policy.faults = readFaults(faults);
    return policy;
}

RetryBudgetConfig readRetryBudget(const YAML::Node &node)
{
    expectMap(node, "retry_budget", "{ratio: 0.2, min_per_second: 10, ttl: 10s}");
    expectKeys(node, "'retry_budget'", {"ratio", "min_per_second", "ttl"});
    RetryBudgetConfig budget;
    if (const auto ratio = node["ratio"])
        budget.ratio = number(ratio, "'ratio'", 0, 1);
    if (const auto minimum = node["min_per_second"])
        budget.minPerSecond = whole(minimum, "'min_per_second'", 0, 100000);
    if (const auto ttl = node["ttl"])
        budget.ttl = duration(ttl, "'ttl'", std::chrono::seconds(1));
    if (budget.ttl > std::chrono::seconds(60))
        fail(node["ttl"], "'ttl' must be at most 60s");
    return budget;
}

FailureAccrualConfig readFailureAccrual(const YAML::Node &node)
{
    expectMap(node, "failure_accrual",
              "{consecutive_failures: 7, min_penalty: 1s, max_penalty: 60s, jitter: 0.5}");
    expectKeys(node, "'failure_accrual'",
               {"consecutive_failures", "min_penalty", "max_penalty", "jitter"});
    FailureAccrualConfig accrual;
    if (const auto failures = node["consecutive_failures"])
        accrual.consecutiveFailures = whole(failures, "'consecutive_failures'", 1, 1000000);
    if (const auto minimum = node["min_penalty"])
        accrual.minPenalty = millis(minimum, "'min_penalty'", Millis(1));
    if (const auto maximum = node["max_penalty"])
        accrual.maxPenalty = millis(maximum, "'max_penalty'", Millis(1));
    if (accrual.minPenalty > accrual.maxPenalty)
        fail(node["min_penalty"] ? node["min_penalty"] : node["max_penalty"],
             "'min_penalty' (" + formatDuration(accrual.minPenalty)
                 + ") cannot be above 'max_penalty' (" + formatDuration(accrual.maxPenalty) + ")");
    if (const auto jitter = node["jitter"])
        accrual.jitter = number(jitter, "'jitter'", 0, 1);
    return accrual;
}

BalancerConfig readBalancer(const YAML::Node &node)
{
    expectMap(node, "load_balancer", "{default_rtt: 30ms, decay: 10s}");
    expectKeys(node, "'load_balancer'", {"default_rtt", "decay"});
    BalancerConfig balancer;
    if (const auto rtt = node["default_rtt"])
        balancer.defaultRtt = millis(rtt, "'default_rtt'", Millis(1));
    if (const auto decay = node["decay"])
        balancer.decay = millis(decay, "'decay'", Millis(100));
    return balancer;
}

std::vector<BackendWeight> readSplit(const YAML::Node &node,
                                     const std::vector<VersionConfig> &versions)
{
    if (!node.IsSequence() || node.size() == 0)
        fail(node,
             "'split' must be a list like [{version: v1, weight: 90}, {version: v2, weight: 10}]");
    std::vector<BackendWeight> split;
    std::set<std::string> seen;
    unsigned total = 0;
    for (const auto &entry : node) {
        expectMap(entry, "split", "{version: v1, weight: 90}");
        expectKeys(entry, "a split entry", {"version", "weight"});
        if (!entry["version"] || !entry["weight"])
            fail(entry, "a split entry needs 'version' and 'weight'");
        BackendWeight backend {label(entry["version"], "version"),
                               whole(entry["weight"], "'weight'", 0, 1000000)};
        bool known = false;
        std::string names;
        for (const auto &version : versions) {
            known = known || version.name == backend.version;
            names += (names.empty() ? "" : ", ") + version.name;
        }
        if (!known)
            fail(entry["version"],
                 "the split names version '" + backend.version
                     + "', which the service does not have (it has: " + names + ")");
        if (!seen.insert(backend.version).second)
            fail(entry["version"], "the split names version '" + backend.version + "' twice");
        total += backend.weight;
        split.push_back(std::move(backend));
    }
    if (total == 0)
        fail(node, "the split's weights add up to 0: nothing would receive traffic");
    return split;
}

} // namespace meshcore::control
