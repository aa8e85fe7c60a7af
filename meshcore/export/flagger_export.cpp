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

// Flagger's A/B match: an exact header, or the cookie as a regular expression on Cookie.
Yaml matchOf(const RequestMatch &match)
{
    auto headers = Yaml::map();
    if (match.kind == RequestMatch::Kind::Header)
        headers.set(match.name, Yaml::map({{"exact", match.value}}));
    else
        headers.set("cookie", Yaml::map({{"regex", cookieRegex(match.name, match.value)}}));
    return Yaml::seq({Yaml::map({{"headers", std::move(headers)}})});
}

// The canary's weights: stepWeight and maxWeight when Flagger's walk ends at maxWeight as meshd's
// does, else the list (Flagger would step past maxWeight).
void addWeights(Yaml &analysis, const RolloutSpec &rollout)
{
    if (rollout.maxWeight % rollout.stepWeight == 0) {
        analysis.set("maxWeight", Yaml::number(rollout.maxWeight));
        analysis.set("stepWeight", Yaml::number(rollout.stepWeight));
        return;
    }
    auto weights = Yaml::seq();
    for (const auto weight : control::canarySchedule(rollout))
        weights.add(Yaml::number(weight));
    analysis.set("stepWeights", std::move(weights));
}

Yaml metric(const std::string &name, const char *bound, double value, const std::string &interval,
            const ServiceConfig &service, bool templated)
{
    auto metric = Yaml::map({{"name", name}});
    if (templated)
        metric.set("templateRef",
                   Yaml::map({{"name", service.name + "-" + name}, {"namespace", service.ns}}));
    metric.set("thresholdRange", Yaml::map({{bound, Yaml::number(value)}}));
    metric.set("interval", interval);
    return metric;
}

Yaml analysisOf(const RolloutSpec &rollout, const ServiceConfig &service, bool templated)
{
    const auto interval = gatewayDuration(rollout.interval);
    auto analysis = Yaml::map(
        {{"interval", interval}, {"threshold", Yaml::number(rollout.analysis.failureThreshold)}});
    if (rollout.strategy == RolloutStrategy::Canary)
        addWeights(analysis, rollout);
    else
        analysis.set("iterations", Yaml::number(rollout.iterations));
    if (rollout.match)
        analysis.set("match", matchOf(*rollout.match));
    auto metrics = Yaml::seq({metric("request-success-rate", "min", rollout.analysis.minSuccessRate,
                                     interval, service, templated)});
    if (rollout.analysis.maxP99Ms)
        metrics.add(metric("request-duration", "max", *rollout.analysis.maxP99Ms, interval, service,
                           templated));
    analysis.set("metrics", std::move(metrics));
    return analysis;
}

// A/B: Flagger's linkerd provider (an SMI TrafficSplit) cannot route by header, so the Gateway
// API provider routes, and these templates ask Linkerd's metrics (its built-in ones are Istio's).
std::string metricTemplate(const std::string &name, const std::string &query,
                           const ServiceConfig &service, const ExportOptions &options)
{
    const auto document = Yaml::map(
        {{"apiVersion", "flagger.app/v1beta1"},
         {"kind", "MetricTemplate"},
         {"metadata", Yaml::map({{"name", service.name + "-" + name}, {"namespace", service.ns}})},
         {"spec",
          Yaml::map(
              {{"provider", Yaml::map({{"type", "prometheus"}, {"address", options.prometheus}})},
               {"query", query}})}});
    return yamlDocument(provenance(service, "Flagger MetricTemplate", options.source), document);
}

std::vector<std::string> comments(const ServiceConfig &service, const RolloutSpec &rollout,
                                  const ExportOptions &options)
{
    auto lines = provenance(service, "Flagger Canary", options.source);
    lines.push_back("Flagger rolls out a new revision of Deployment " + service.name
                    + " (it keeps the old one as " + service.name + "-primary): give it the pod "
                    + "spec of " + rollout.candidate + " to start. Flagger makes its own Services "
                    + "and routing: do not apply this service's exported HTTPRoute with it.");
    auto notes = analysisLeftOut(rollout, "Flagger");
    notes.push_back("failure_threshold counts failed intervals in meshd; Flagger's threshold "
                    "counts failed checks (one per metric per interval)");
    if (rollout.strategy == RolloutStrategy::AB)
        notes.push_back("provider linkerd (an SMI TrafficSplit) has no header routing: this "
                        "Canary uses Flagger's Gateway API provider, with MetricTemplates for "
                        "Linkerd's metrics");
    if (rollout.match && rollout.match->kind == RequestMatch::Kind::Cookie)
        notes.push_back("the cookie match is a regular expression on the Cookie header, which "
                        "Gateway API implementations need not support");
    appendLeftOut(lines, notes);
    return lines;
}

} // namespace

std::string flaggerDocuments(const ServiceConfig &service, const RolloutSpec &rollout,
                             const ExportOptions &options)
{
    const bool ab = rollout.strategy == RolloutStrategy::AB;
    auto serviceSpec = Yaml::map({{"port", Yaml::number(options.port)}});
    if (ab)
        serviceSpec.set("gatewayRefs",
                        Yaml::seq({Yaml::map({{"name", service.name},
                                              {"namespace", service.ns},
                                              {"group", "core"},
                                              {"kind", "Service"},
                                              {"port", Yaml::number(options.port)}})}));
    const auto target
        = Yaml::map({{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", service.name}});
    const auto canary
        = Yaml::map({{"apiVersion", "flagger.app/v1beta1"},
                     {"kind", "Canary"},
                     {"metadata", Yaml::map({{"name", service.name}, {"namespace", service.ns}})},
                     {"spec",
                      Yaml::map({{"provider", ab ? "gatewayapi:v1beta1" : "linkerd"},
                                 {"targetRef", target},
                                 {"service", std::move(serviceSpec)},
                                 {"analysis", analysisOf(rollout, service, ab)}})}});
    auto text = yamlDocument(comments(service, rollout, options), canary);
    if (!ab)
        return text;
    const auto window = "{{ interval }}";
    const auto selector = "deployment=~\"{{ target }}\"";
    return text
        + metricTemplate("request-success-rate",
                         successRateQuery("{{ namespace }}", selector, window), service, options)
        + metricTemplate("request-duration", p99Query("{{ namespace }}", selector, window), service,
                         options);
}

} // namespace meshcore::kube
