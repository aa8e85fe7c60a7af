#include "models/edge_versions_model.h"

#include <map>

#include "models/figures_text.h"

namespace meshscope::models {

void EdgeVersionsModel::setEdge(const GraphEdge *edge, const meshcore::admin::SplitInfo *split)
{
    std::map<std::string, EdgeVersionRow> rows;
    if (edge)
        for (const auto &share : edge->versions)
            rows[share.version].share = share;
    if (split) {
        unsigned total = 0;
        for (const auto &backend : split->backends)
            total += backend.weight;
        for (const auto &backend : split->backends) {
            auto &row = rows[backend.version];
            row.share.version = backend.version;
            row.weight = total ? static_cast<double>(backend.weight) / total : 0;
            row.weighted = true;
        }
    }
    std::vector<EdgeVersionRow> ordered;
    for (auto &[version, row] : rows)
        ordered.push_back(std::move(row));
    apply(std::move(ordered));
}

QVariant EdgeVersionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    static const char *const Titles[ColumnCount]
        = {"Version", "Share", "Weight", "Rate", "Success", "p99"};
    static const char *const Tips[ColumnCount] = {
        "A version of the callee",
        "The share of this edge's requests it answered over the window",
        "The share the callee's split gives it now (its weight over the sum of the weights)",
        "Requests per second from this caller to it",
        "Share of those requests that did not end in a 5xx",
        "99th percentile latency of those requests",
    };
    if (role == Qt::DisplayRole)
        return tr(Titles[section]);
    if (role == Qt::ToolTipRole)
        return tr(Tips[section]);
    return {};
}

QVariant EdgeVersionsModel::cell(const EdgeVersionRow &row, int column, int role) const
{
    const auto &t = row.share.traffic;
    if (role == SortRole) {
        switch (column) {
        case Share:
            return row.share.share;
        case Weight:
            return row.weight;
        case Rate:
            return t.rps;
        case Success:
            return t.successRate.value_or(2.0);
        case P99:
            return t.requests ? t.p99Ms : -1.0;
        default:
            return cell(row, column, Qt::DisplayRole);
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Version:
        return QString::fromStdString(row.share.version);
    case Share:
        return t.requests ? humanPercent(row.share.share) : QStringLiteral("–");
    case Weight:
        return row.weighted ? humanPercent(row.weight) : QStringLiteral("–");
    case Rate:
        return humanRps(t.rps);
    case Success:
        return humanPercent(t.successRate);
    case P99:
        return t.requests ? humanMs(t.p99Ms) : QStringLiteral("–");
    default:
        return {};
    }
}

} // namespace meshscope::models
