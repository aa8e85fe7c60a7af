#include "models/services_model.h"

#include <algorithm>

#include "models/figures_text.h"

namespace meshscope::models {

void ServicesModel::setGraph(const MeshGraph &graph)
{
    QHash<QString, ServiceRow> rows;
    for (const auto &node : graph.nodes())
        if (node.kind == GraphNode::Kind::Service)
            rows.insert(node.key, {node, 0, 0});
    for (const auto &edge : graph.edges()) {
        auto it = rows.find(edge.target);
        if (it == rows.end() || edge.traffic.requests == 0)
            continue;
        ++it->callers;
        it->plaintextCallers += edge.mtls ? 0 : 1;
    }
    std::vector<ServiceRow> ordered(rows.begin(), rows.end());
    std::sort(ordered.begin(), ordered.end(),
              [](const ServiceRow &a, const ServiceRow &b) { return a.node.key < b.node.key; });
    apply(std::move(ordered));
}

QVariant ServicesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    static const char *const Titles[ColumnCount]
        = {"Service", "Namespace", "Health", "Rate", "Success", "p99", "mTLS", "Checks"};
    static const char *const Tips[ColumnCount] = {
        "The service's name",
        "Its namespace",
        "From its success rate and the checks concerning it",
        "Requests per second to it over the window, from every caller",
        "Share of those requests that did not end in a 5xx",
        "99th percentile latency, as its callers' proxies measured it",
        "Whether every caller with traffic reaches it over mTLS",
        "Failing or warning checks concerning it",
    };
    if (role == Qt::DisplayRole)
        return tr(Titles[section]);
    if (role == Qt::ToolTipRole)
        return tr(Tips[section]);
    return {};
}

namespace {

QString securityText(const ServiceRow &row)
{
    if (!row.node.meshed)
        return QObject::tr("⚠ not meshed");
    if (row.callers == 0)
        return QObject::tr("–");
    if (row.plaintextCallers == 0)
        return QObject::tr("✓");
    return QObject::tr("⚠ %1/%2 plain").arg(row.plaintextCallers).arg(row.callers);
}

} // namespace

QVariant ServicesModel::cell(const ServiceRow &row, int column, int role) const
{
    const auto &n = row.node;
    const auto &t = n.traffic;
    if (role == SortRole) {
        switch (column) {
        case Health:
            return static_cast<int>(n.health);
        case Rate:
            return t.rps;
        case Success:
            return t.successRate.value_or(2.0);
        case P99:
            return t.requests ? t.p99Ms : -1.0;
        case Security:
            return row.node.meshed ? row.plaintextCallers : 1000000;
        case Checks:
            return static_cast<int>(n.problems.size());
        default:
            return cell(row, column, Qt::DisplayRole);
        }
    }
    if (role == StatusRole) {
        if (column == Name || column == Health || column == Success)
            return static_cast<int>(n.health);
        if (column == Checks && !n.problems.isEmpty())
            return static_cast<int>(n.health == models::Health::Failing ? models::Health::Failing
                                                                        : models::Health::Warning);
        if (column == Security && (!n.meshed || row.plaintextCallers > 0))
            return static_cast<int>(models::Health::Warning);
        return {};
    }
    if (role == Qt::ToolTipRole && column == Checks && !n.problems.isEmpty())
        return n.problems.join(QLatin1Char('\n'));
    if (role == Qt::ToolTipRole && column == Name)
        return n.key;
    if (role == Qt::ToolTipRole && column == Security)
        return row.plaintextCallers ? tr("%1 of its %2 callers with traffic reach it in plaintext")
                                          .arg(row.plaintextCallers)
                                          .arg(row.callers)
                                    : tr("Every caller with traffic reaches it over mTLS");
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Name:
        return n.name;
    case Namespace:
        return n.ns;
    case Health:
        return healthName(n.health);
    case Rate:
        return humanRps(t.rps);
    case Success:
        return humanPercent(t.successRate);
    case P99:
        return t.requests ? humanMs(t.p99Ms) : QStringLiteral("–");
    case Security:
        return securityText(row);
    case Checks:
        if (n.problems.isEmpty())
            return QStringLiteral("✓");
        return n.problems.size() == 1 ? tr("⚠ 1 check") : tr("⚠ %1 checks").arg(n.problems.size());
    default:
        return {};
    }
}

} // namespace meshscope::models
