#include <algorithm>

#include "export/k8s_export.h"
#include "export/k8s_format.h"
#include "export/yaml_tree.h"

namespace meshcore::kube {
namespace {

using control::RequestPolicy;
using control::RetryConfig;
using control::RouteConfig;
using control::ServiceConfig;

Yaml backendRefs(const ServiceConfig &service, const ExportOptions &options)
{
    auto refs = Yaml::seq();
    for (const auto &backend : service.effectiveSplit())
        refs.add(Yaml::map({{"name", backendName(service, backend.version)},
                            {"port", Yaml::number(options.port)},
                            {"weight", Yaml::number(backend.weight)}}));
    return refs;
}

Yaml rule(Yaml match, const RequestPolicy &policy, const ServiceConfig &service,
          const ExportOptions &options)
{
    auto rule = Yaml::map({{"matches", Yaml::seq({std::move(match)})},
                           {"backendRefs", backendRefs(service, options)}});
    if (policy.timeout)
        rule.set("timeouts", Yaml::map({{"request", gatewayDuration(*policy.timeout)}}));
    return rule;
}

Yaml routeRule(const RouteConfig &route, const ServiceConfig &service, const ExportOptions &options)
{
    const bool exact = !route.path.empty();
    auto match = Yaml::map({{"path",
                             Yaml::map({{"type", exact ? "Exact" : "PathPrefix"},
                                        {"value", exact ? route.path : route.pathPrefix}})}});
    if (!route.method.empty())
        match.set("method", route.method);
    return rule(std::move(match), route.policy.over(service.policy), service, options);
}

Yaml catchAllRule(const ServiceConfig &service, const ExportOptions &options)
{
    auto match = Yaml::map({{"path", Yaml::map({{"type", "PathPrefix"}, {"value", "/"}})}});
    return rule(std::move(match), service.policy, service, options);
}

// Linkerd's retry annotations (Linkerd 2.16 and later) for `retries`, or none.
Yaml annotations(const std::optional<RetryConfig> &retries)
{
    auto annotations = Yaml::map();
    if (!retries || !(retries->on.serverError || retries->on.gatewayError))
        return annotations;
    std::string on;
    if (retries->on.serverError)
        on = "5xx";
    if (retries->on.gatewayError)
        on += std::string(on.empty() ? "" : ",") + "gateway-error";
    annotations.set("retry.linkerd.io/http", on);
    annotations.set("retry.linkerd.io/limit", std::to_string(retries->limit));
    return annotations;
}

void addNote(std::vector<std::string> &notes, std::string note)
{
    if (std::find(notes.begin(), notes.end(), note) == notes.end())
        notes.push_back(std::move(note));
}

// What the policies of one HTTPRoute (its rules' effective ones) have that Linkerd cannot say.
std::vector<std::string> leftOut(const std::vector<RequestPolicy> &policies, bool catchAll,
                                 const ServiceConfig &service)
{
    std::vector<std::string> notes;
    for (const auto &policy : policies) {
        if (policy.faults)
            addNote(notes, "faults: Gateway API and Linkerd have no fault injection");
        if (!policy.retries)
            continue;
        if (policy.retries->on.connectFailure)
            addNote(notes,
                    "retries on connect-failure: retry.linkerd.io/http names response "
                    "statuses only");
        addNote(notes,
                "retry backoff (" + gatewayDuration(policy.retries->backoff)
                    + ", doubling): Linkerd has no annotation for it");
        if (!policy.retries->nonIdempotent)
            addNote(notes,
                    "meshd retries only idempotent methods; Linkerd retries every method "
                    "the route matches");
        addNote(notes, "retry_budget: Linkerd's retry annotations have no budget");
    }
    if (catchAll
        && (service.failureAccrual != control::FailureAccrualConfig {}
            || service.balancer != control::BalancerConfig {}))
        addNote(notes,
                "failure_accrual and load_balancer: Linkerd sets these per Service (or "
                "not at all), not in an HTTPRoute");
    if (catchAll && service.protocol == control::Protocol::Tcp)
        addNote(notes,
                "protocol: tcp: annotate the Service with config.linkerd.io/opaque-ports (an "
                "HTTPRoute does not apply to opaque traffic)");
    if (catchAll && !service.upstreams.empty())
        addNote(notes,
                "upstreams: in Kubernetes a client calls the Service by its DNS name, through "
                "its proxy; there are no loopback upstream ports to export");
    if (catchAll && service.tcpIdleTimeout != control::ServiceConfig {}.tcpIdleTimeout)
        addNote(notes, "tcp_idle_timeout: Linkerd has no per-Service setting for it");
    if (!service.routes.empty())
        addNote(notes,
                "route order: meshd takes the first route that matches, with a plain "
                "string prefix; Gateway API takes the most specific match and matches a "
                "prefix by whole path segments");
    return notes;
}

struct RouteGroup {
    std::string name;
    bool catchAll = false;
    std::vector<const RouteConfig *> routes;
};

std::vector<RouteGroup> groupsOf(const ServiceConfig &service)
{
    std::vector<RouteGroup> groups {{service.name, true, {}}};
    for (const auto &route : service.routes) {
        if (route.policy.over(service.policy).retries == service.policy.retries)
            groups.front().routes.push_back(&route);
        else
            groups.push_back({service.name + "-" + route.name, false, {&route}});
    }
    return groups;
}

std::string groupDocument(const RouteGroup &group, const ServiceConfig &service,
                          const ExportOptions &options)
{
    auto rules = Yaml::seq();
    std::vector<RequestPolicy> policies;
    for (const auto *route : group.routes) {
        rules.add(routeRule(*route, service, options));
        policies.push_back(route->policy.over(service.policy));
    }
    if (group.catchAll) {
        rules.add(catchAllRule(service, options));
        policies.push_back(service.policy);
    }
    auto metadata = Yaml::map({{"name", group.name}, {"namespace", service.ns}});
    if (auto notes = annotations(policies.front().retries); !notes.empty())
        metadata.set("annotations", std::move(notes));
    const auto parent = Yaml::map({{"group", ""},
                                   {"kind", "Service"},
                                   {"name", service.name},
                                   {"port", Yaml::number(options.port)}});
    const auto route = Yaml::map(
        {{"apiVersion", "gateway.networking.k8s.io/v1"},
         {"kind", "HTTPRoute"},
         {"metadata", std::move(metadata)},
         {"spec", Yaml::map({{"parentRefs", Yaml::seq({parent})}, {"rules", std::move(rules)}})}});
    auto comments = provenance(service, "HTTPRoute", options.source);
    comments.push_back("Needs the Service " + service.name + " and one Service <service>-<version> "
                       + "per version, port " + std::to_string(options.port) + ".");
    appendLeftOut(comments, leftOut(policies, group.catchAll, service));
    return yamlDocument(comments, route);
}

} // namespace

std::vector<std::string> httpRouteNames(const ServiceConfig &service)
{
    std::vector<std::string> names;
    for (const auto &group : groupsOf(service))
        names.push_back(group.name);
    return names;
}

std::string httpRouteDocuments(const ServiceConfig &service, const ExportOptions &options)
{
    std::string text;
    for (const auto &group : groupsOf(service))
        text += groupDocument(group, service, options);
    return text;
}

} // namespace meshcore::kube
