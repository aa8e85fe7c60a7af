// The typed traffic figures of the admin API's views, from the data plane's edge statistics.
#include "daemon/routes/traffic_views.h"

#include <algorithm>
#include <map>
#include <set>

namespace meshcore::daemon::traffic_views {

using telemetry::EdgeStats;

namespace {

// Whether the edge is one of the requests into `destination` the views show: from users of the
// service (not a rollout's analysis), and from `from` only when it is given.
bool counted(const telemetry::EdgeKey &key, const proxy::Destination &destination,
             const std::optional<ServiceKey> &from)
{
    return key.meshed && key.dstService == destination.service && key.dstNs == destination.ns
        && !telemetry::isAnalysisTraffic(key)
        && (!from || (key.srcService == from->name && key.srcNs == from->ns));
}

// Whether a route metric's labels are the caller's: its namespace and one of its deployments
// ("<service>-<version>", or the local clients' "local-client").
bool fromCaller(const telemetry::Labels &labels, const std::optional<ServiceKey> &from,
                const std::set<std::string> &deployments)
{
    if (!from)
        return true;
    bool ns = false, deployment = false;
    for (const auto &[k, v] : labels) {
        ns = ns || (k == "namespace" && v == from->ns);
        deployment = deployment || (k == "deployment" && deployments.contains(v));
    }
    return ns && deployment;
}

} // namespace

admin::TrafficFigures figuresOf(const telemetry::TrafficSummary &summary)
{
    admin::TrafficFigures figures;
    figures.requests = static_cast<std::int64_t>(summary.requests);
    figures.rps = summary.rps();
    if (summary.requests)
        figures.successRate = summary.successRate();
    figures.p50Ms = summary.p50Ms;
    figures.p95Ms = summary.p95Ms;
    figures.p99Ms = summary.p99Ms;
    return figures;
}

admin::TrafficFigures figuresOf(const EdgeStats::Counts &counts, std::chrono::seconds window)
{
    telemetry::TrafficSummary summary;
    summary.requests = counts.requests;
    summary.failures = counts.failures;
    summary.seconds = static_cast<double>(window.count());
    counts.percentiles(summary);
    return figuresOf(summary);
}

// Per route of a service: the same figures, plus what the route's policy says and what the
// retries and timeouts did (totals since start, from the route metrics).
admin::ServiceRoutes routesOf(const DataPlane &dataPlane, const proxy::Destination &destination,
                              const std::optional<ServiceKey> &from)
{
    const auto now = std::chrono::system_clock::now();
    std::map<std::string, EdgeStats::Counts> byRoute;
    std::set<std::string> deployments; // the caller's, as the route metrics label them
    for (const auto &[key, stats] : dataPlane.metrics().traffic.edges())
        if (counted(key, destination, from)) {
            byRoute[key.route].add(stats->counts(now, DefaultWindow));
            deployments.insert(key.srcVersion.empty() ? key.srcService
                                                      : key.srcService + "-" + key.srcVersion);
        }
    // Totals from the route metrics, summed over callers.
    const auto total = [&](const telemetry::Family<telemetry::Counter> &family,
                           const std::string &route, const char *error) {
        double sum = 0;
        family.forEach([&](const telemetry::Labels &labels, const telemetry::Counter &counter) {
            bool parent = false, routeMatch = false, errorMatch = error == nullptr;
            for (const auto &[k, v] : labels) {
                parent = parent || (k == "parent_name" && v == destination.service);
                routeMatch = routeMatch || (k == "route_name" && v == route);
                errorMatch = errorMatch || (error && k == "error" && v == error);
            }
            if (parent && routeMatch && errorMatch && fromCaller(labels, from, deployments))
                sum += static_cast<double>(counter.value());
        });
        return sum;
    };
    const auto &metrics = dataPlane.metrics();
    std::vector<std::pair<std::string, control::RequestPolicy>> names;
    for (const auto &route : destination.routes)
        names.emplace_back(route.name, route.policy.over(destination.policy));
    names.emplace_back("default", destination.policy);
    admin::ServiceRoutes routes;
    routes.service = destination.service;
    routes.ns = destination.ns;
    routes.from = from ? from->qualified() : std::string();
    routes.windowSeconds = static_cast<int>(DefaultWindow.count());
    for (const auto &[routeName, policy] : names) {
        admin::RouteFigures route;
        route.name = routeName;
        route.traffic = figuresOf(byRoute[routeName], DefaultWindow);
        if (policy.timeout)
            route.timeoutMs = static_cast<std::int64_t>(policy.timeout->count());
        route.retryLimit = policy.retries ? policy.retries->limit : 0u;
        route.retriesTotal = total(metrics.retryRequests, routeName, nullptr);
        route.timeoutsTotal = total(metrics.routeStatuses, routeName, "timeout");
        routes.routes.push_back(std::move(route));
    }
    return routes;
}

// The last `range` of a service (as its callers saw it, or `from` alone), for charts.
admin::ServiceHistory historyOf(const DataPlane &dataPlane, const proxy::Destination &destination,
                                const std::optional<ServiceKey> &from, EdgeStats::Range range)
{
    const auto now = std::chrono::system_clock::now();
    std::vector<std::pair<std::int64_t, EdgeStats::Counts>> sum;
    for (const auto &[key, stats] : dataPlane.metrics().traffic.edges()) {
        if (!counted(key, destination, from))
            continue;
        const auto counts = stats->historyCounts(now, range);
        if (sum.empty())
            sum = counts;
        else
            for (std::size_t i = 0; i < sum.size() && i < counts.size(); ++i)
                sum[i].second.add(counts[i].second);
    }
    if (sum.empty())
        sum = EdgeStats().historyCounts(now, range); // no traffic yet: empty points
    admin::ServiceHistory history;
    history.service = destination.service;
    history.ns = destination.ns;
    history.from = from ? from->qualified() : std::string();
    history.stepSeconds = range.stepSeconds;
    history.rangeSeconds = range.seconds();
    const double nowUnix = std::chrono::duration<double>(now.time_since_epoch()).count();
    for (auto point : EdgeStats::toPoints(sum, range.stepSeconds)) {
        // The slot still filling has had only part of its step: its rate is over those seconds.
        point.summary.seconds = std::clamp(nowUnix - static_cast<double>(point.unixSeconds), 1.0,
                                           point.summary.seconds);
        admin::HistoryPoint p;
        p.timeUnix = point.unixSeconds;
        p.traffic = figuresOf(point.summary);
        history.points.push_back(p);
    }
    return history;
}

} // namespace meshcore::daemon::traffic_views
