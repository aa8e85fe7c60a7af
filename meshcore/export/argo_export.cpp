#include "export/k8s_export.h"
#include "export/k8s_format.h"
#include "export/rollout_notes.h"
#include "export/yaml_tree.h"

namespace meshcore::kube {
namespace {

using control::RequestMatch;
using control::RolloutSpec;
using control::RolloutStrategy;
using control::ServiceConfig;

std::string templateName(const ServiceConfig &service)
{
    return service.name + "-analysis";
}
std::string abRouteName(const ServiceConfig &service)
{
    return service.name + "-ab";
}

// The analysis the Rollout runs, told the candidate's pod-template hash.
Yaml analysisRef(const ServiceConfig &service)
{
    const auto hash = Yaml::map(
        {{"name", "canary-hash"}, {"valueFrom", Yaml::map({{"podTemplateHashValue", "Latest"}})}});
    return Yaml::map(
        {{"templates", Yaml::seq({Yaml::map({{"templateName", templateName(service)}})})},
         {"args", Yaml::seq({hash})}});
}

Yaml headerRoute(const ServiceConfig &service, const RequestMatch &match)
{
    const bool header = match.kind == RequestMatch::Kind::Header;
    const auto value = header ? Yaml::map({{"exact", match.value}})
                              : Yaml::map({{"regex", cookieRegex(match.name, match.value)}});
    return Yaml::map({{"name", abRouteName(service)},
                      {"match",
                       Yaml::seq({Yaml::map({{"headerName", header ? match.name : "Cookie"},
                                             {"headerValue", value}})})}});
}

Yaml steps(const ServiceConfig &service, const RolloutSpec &rollout)
{
    auto steps = Yaml::seq();
    const auto pause = [](std::chrono::seconds duration) {
        return Yaml::map({{"pause", Yaml::map({{"duration", gatewayDuration(duration)}})}});
    };
    if (rollout.strategy == RolloutStrategy::AB) {
        steps.add(Yaml::map({{"setHeaderRoute", headerRoute(service, *rollout.match)}}));
        steps.add(pause(rollout.interval * static_cast<long>(rollout.iterations)));
        return steps;
    }
    for (const auto weight : control::canarySchedule(rollout)) {
        steps.add(Yaml::map({{"setWeight", Yaml::number(weight)}}));
        steps.add(pause(rollout.interval));
    }
    return steps;
}

Yaml canaryStrategy(const ServiceConfig &service, const RolloutSpec &rollout,
                    const std::vector<std::string> &routes)
{
    const bool ab = rollout.strategy == RolloutStrategy::AB;
    auto httpRoutes = Yaml::seq();
    for (const auto &route : routes) {
        auto entry = Yaml::map({{"name", route}});
        if (ab)
            entry.set("useHeaderRoutes", Yaml::boolean(true));
        httpRoutes.add(std::move(entry));
    }
    auto routing = Yaml::map();
    if (ab)
        routing.set("managedRoutes", Yaml::seq({Yaml::map({{"name", abRouteName(service)}})}));
    routing.set("plugins",
                Yaml::map({{"argoproj-labs/gatewayAPI",
                            Yaml::map({{"httpRoutes", std::move(httpRoutes)},
                                       {"namespace", service.ns}})}}));
    auto analysis = analysisRef(service);
    if (!ab)
        analysis.set("startingStep", Yaml::number(1)); // from the first weight on
    return Yaml::map({{"stableService", backendName(service, rollout.stable)},
                      {"canaryService", backendName(service, rollout.candidate)},
                      {"trafficRouting", std::move(routing)},
                      {"analysis", std::move(analysis)},
                      {"steps", steps(service, rollout)}});
}

Yaml blueGreenStrategy(const ServiceConfig &service, const RolloutSpec &rollout)
{
    return Yaml::map({{"activeService", backendName(service, rollout.stable)},
                      {"previewService", backendName(service, rollout.candidate)},
                      {"autoPromotionEnabled", Yaml::boolean(true)},
                      {"prePromotionAnalysis", analysisRef(service)}});
}

Yaml metric(const std::string &name, const std::string &condition, const std::string &query,
            const RolloutSpec &rollout, const ExportOptions &options)
{
    auto metric = Yaml::map({{"name", name}, {"interval", gatewayDuration(rollout.interval)}});
    if (rollout.strategy != RolloutStrategy::Canary)
        metric.set("count", Yaml::number(rollout.iterations));
    metric.set("successCondition", condition);
    metric.set("failureLimit", Yaml::number(rollout.analysis.failureThreshold - 1));
    metric.set("provider",
               Yaml::map({{"prometheus",
                           Yaml::map({{"address", options.prometheus}, {"query", query}})}}));
    return metric;
}

std::string number(double value)
{
    return Yaml::number(value).text();
}

std::string analysisTemplate(const ServiceConfig &service, const RolloutSpec &rollout,
                             const ExportOptions &options)
{
    const auto window = gatewayDuration(rollout.interval);
    const auto selector = "rollouts_pod_template_hash=\"{{args.canary-hash}}\"";
    auto metrics = Yaml::seq(
        {metric("success-rate", "result[0] >= " + number(rollout.analysis.minSuccessRate),
                successRateQuery(service.ns, selector, window), rollout, options)});
    if (rollout.analysis.maxP99Ms)
        metrics.add(metric("p99-latency", "result[0] <= " + number(*rollout.analysis.maxP99Ms),
                           p99Query(service.ns, selector, window), rollout, options));
    const auto document = Yaml::map(
        {{"apiVersion", "argoproj.io/v1alpha1"},
         {"kind", "AnalysisTemplate"},
         {"metadata", Yaml::map({{"name", templateName(service)}, {"namespace", service.ns}})},
         {"spec",
          Yaml::map({{"args", Yaml::seq({Yaml::map({{"name", "canary-hash"}})})},
                     {"metrics", std::move(metrics)}})}});
    auto comments = provenance(service, "Argo Rollouts AnalysisTemplate", options.source);
    comments.push_back("Selects the candidate's pods by the rollouts_pod_template_hash label, "
                       "which Linkerd Viz's Prometheus copies from the pods.");
    appendLeftOut(comments,
                  {"failure_threshold counts failed intervals in meshd; Argo Rollouts "
                   "counts failures per metric (failureLimit)"});
    return yamlDocument(comments, document);
}

std::vector<std::string> rolloutComments(const ServiceConfig &service, const RolloutSpec &rollout,
                                         const ExportOptions &options)
{
    auto lines = provenance(service, "Argo Rollouts Rollout", options.source);
    lines.push_back("Replaces Deployment " + service.name + " (workloadRef) with one Rollout; it "
                    + "points Services " + backendName(service, rollout.stable) + " and "
                    + backendName(service, rollout.candidate) + " at the stable and canary pods.");
    auto notes = analysisLeftOut(rollout, "Argo Rollouts");
    if (rollout.match && rollout.match->kind == RequestMatch::Kind::Cookie)
        notes.push_back("the cookie match is a regular expression on the Cookie header, which "
                        "Gateway API implementations need not support");
    appendLeftOut(lines, notes);
    return lines;
}

} // namespace

std::string argoDocuments(const ServiceConfig &service, const RolloutSpec &rollout,
                          const ExportOptions &options)
{
    const auto routes = httpRouteNames(service);
    auto strategy = Yaml::map();
    if (rollout.strategy == RolloutStrategy::BlueGreen)
        strategy.set("blueGreen", blueGreenStrategy(service, rollout));
    else
        strategy.set("canary", canaryStrategy(service, rollout, routes));
    const auto workload
        = Yaml::map({{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", service.name}});
    const auto document = Yaml::map(
        {{"apiVersion", "argoproj.io/v1alpha1"},
         {"kind", "Rollout"},
         {"metadata", Yaml::map({{"name", service.name}, {"namespace", service.ns}})},
         {"spec", Yaml::map({{"workloadRef", workload}, {"strategy", std::move(strategy)}})}});
    return yamlDocument(rolloutComments(service, rollout, options), document)
        + analysisTemplate(service, rollout, options);
}

} // namespace meshcore::kube
