#include "models/edges_model.h"

#include "models/figures_text.h"

namespace meshscope::models {

void EdgesModel::setService(const MeshGraph &graph, const QString &serviceKey)
{
    std::vector<EdgeRow> rows;
    for (const auto &edge : graph.edges())
        if (edge.target == serviceKey || edge.source == serviceKey)
            rows.push_back({edge, edge.target == serviceKey});
    apply(std::move(rows));
}

QVariant EdgesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    static const char *const Titles[ColumnCount]
        = {"", "Service", "Rate", "Success", "p99", "Security"};
    static const char *const Tips[ColumnCount]
        = {"← calls it (inbound), → it calls (outbound)",
           "The caller or the callee",
           "Requests per second over the window",
           "Share of requests that did not end in a 5xx",
           "99th percentile latency",
           "mTLS with the identities both ends proved, or why not"};
    if (role == Qt::DisplayRole)
        return tr(Titles[section]);
    if (role == Qt::ToolTipRole)
        return tr(Tips[section]);
    return {};
}

QVariant EdgesModel::cell(const EdgeRow &row, int column, int role) const
{
    const auto &e = row.edge;
    if (role == SortRole) {
        switch (column) {
        case Rate:
            return e.traffic.rps;
        case Success:
            return e.traffic.successRate.value_or(2.0);
        case P99:
            return e.traffic.p99Ms;
        default:
            return cell(row, column, Qt::DisplayRole);
        }
    }
    if (role == Qt::ToolTipRole && column == Security)
        return e.mtls ? tr("%1 → %2").arg(e.sourceIdentity, e.targetIdentity) : QString();
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Direction:
        return row.inbound ? QStringLiteral("←") : QStringLiteral("→");
    case Peer:
        return row.inbound ? e.source : e.target;
    case Rate:
        return humanRps(e.traffic.rps);
    case Success:
        return humanPercent(e.traffic.successRate);
    case P99:
        return e.traffic.requests ? humanMs(e.traffic.p99Ms) : QStringLiteral("–");
    case Security:
        if (!e.targetMeshed)
            return tr("⚠ unknown service: never sent");
        return e.mtls ? tr("mTLS (%1)")
                            .arg((row.inbound ? e.sourceIdentity : e.targetIdentity)
                                     .section(QLatin1Char('/'), -1))
                      : tr("⚠ plaintext");
    default:
        return {};
    }
}

} // namespace meshscope::models
