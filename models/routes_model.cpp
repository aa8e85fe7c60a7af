#include "models/routes_model.h"

#include "models/figures_text.h"

namespace meshscope::models {

bool RouteRow::operator==(const RouteRow &other) const
{
    const auto &a = route;
    const auto &b = other.route;
    return a.name == b.name && a.traffic == b.traffic && a.timeoutMs == b.timeoutMs
        && a.retryLimit == b.retryLimit && a.retriesTotal == b.retriesTotal
        && a.timeoutsTotal == b.timeoutsTotal;
}

void RoutesModel::setRoutes(const meshcore::admin::ServiceRoutes *routes)
{
    std::vector<RouteRow> rows;
    if (routes)
        for (const auto &route : routes->routes)
            rows.push_back({route});
    apply(std::move(rows));
}

QVariant RoutesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    static const char *const Titles[ColumnCount]
        = {"Route", "Rate", "Success", "p50", "p95", "p99", "Timeout", "Retries", "Timeouts"};
    static const char *const Tips[ColumnCount] = {
        "The route's name in the configuration; 'default' takes the requests matching no route",
        "Requests per second over the last 30 s, as the callers' proxies saw them (each attempt "
        "counts)",
        "Share of requests over the last 30 s that did not end in a 5xx (the proxy's own answers "
        "included)",
        "Median latency over the last 30 s",
        "95th percentile latency over the last 30 s",
        "99th percentile latency over the last 30 s",
        "The route's timeout over the whole request, retries included (– for none)",
        "Retries made since meshd started, and the limit per request",
        "Requests answered 504 by the timeout since meshd started",
    };
    if (section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole)
        return tr(Titles[section]);
    if (role == Qt::ToolTipRole)
        return tr(Tips[section]);
    return {};
}

QVariant RoutesModel::cell(const RouteRow &row, int column, int role) const
{
    const auto &r = row.route;
    const auto &t = r.traffic;
    if (role == SortRole) {
        switch (column) {
        case Name:
            return QString::fromStdString(r.name);
        case Rate:
            return t.rps;
        case Success:
            return t.successRate.value_or(2.0);
        case P50:
            return t.p50Ms;
        case P95:
            return t.p95Ms;
        case P99:
            return t.p99Ms;
        case Timeout:
            return static_cast<qlonglong>(r.timeoutMs.value_or(0));
        case Retries:
            return r.retriesTotal;
        case Timeouts:
            return r.timeoutsTotal;
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole)
        return column == Name ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                              : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Name:
        return QString::fromStdString(r.name);
    case Rate:
        return humanRps(t.rps);
    case Success:
        return humanPercent(t.successRate);
    case P50:
        return t.requests ? humanMs(t.p50Ms) : QStringLiteral("–");
    case P95:
        return t.requests ? humanMs(t.p95Ms) : QStringLiteral("–");
    case P99:
        return t.requests ? humanMs(t.p99Ms) : QStringLiteral("–");
    case Timeout:
        return r.timeoutMs ? humanMs(static_cast<double>(*r.timeoutMs)) : QStringLiteral("–");
    case Retries:
        return tr("%1 (limit %2)").arg(static_cast<qlonglong>(r.retriesTotal)).arg(r.retryLimit);
    case Timeouts:
        return static_cast<qlonglong>(r.timeoutsTotal);
    default:
        return {};
    }
}

} // namespace meshscope::models
