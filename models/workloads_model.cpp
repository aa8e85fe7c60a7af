#include "models/workloads_model.h"
#include "core/service_key.h"

#include "models/health.h"

namespace meshscope::models {

bool WorkloadRow::operator==(const WorkloadRow &other) const
{
    const auto &a = workload;
    const auto &b = other.workload;
    return a.pod == b.pod && a.version == b.version && a.ready == b.ready
        && a.processState == b.processState && a.pid == b.pid && a.restarts == b.restarts
        && a.rssKib == b.rssKib && a.cpuPercent == b.cpuPercent
        && a.rssTrendKibPerMin == b.rssTrendKibPerMin && a.rssKeepsGrowing == b.rssKeepsGrowing
        && a.balancerState == b.balancerState && a.ejections == b.ejections
        && a.latencyEwmaMs == b.latencyEwmaMs;
}

void WorkloadsModel::setWorkloads(const std::vector<meshcore::admin::WorkloadStatus> *all,
                                  const QString &serviceKey)
{
    std::vector<WorkloadRow> rows;
    if (all)
        for (const auto &w : *all)
            if (QString::fromStdString(meshcore::qualifiedName(w.service, w.ns)) == serviceKey)
                rows.push_back({w});
    apply(std::move(rows));
}

QVariant WorkloadsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    static const char *const Titles[ColumnCount]
        = {"Pod", "Version", "Process", "Balancer", "Restarts", "Memory", "Trend", "CPU"};
    static const char *const Tips[ColumnCount] = {
        "The replica: <service>-<version>-<index>",
        "The version it runs",
        "Its process, when meshd runs it: running, backing-off (it exited and waits to restart) or "
        "stopped; 'yours' when you run it",
        "In its service's balancer: ready, probing (one request after an ejection) or ejected by "
        "the circuit breaker; 'starting' until its port accepts connections",
        "Times its process exited and was started again",
        "Resident memory (RSS) of its process",
        "How fast its memory grows, over the last minutes; ⚠ when it keeps growing (a leak?)",
        "CPU used by its process, share of one core",
    };
    if (role == Qt::DisplayRole)
        return tr(Titles[section]);
    if (role == Qt::ToolTipRole)
        return tr(Tips[section]);
    return {};
}

QVariant WorkloadsModel::cell(const WorkloadRow &row, int column, int role) const
{
    const auto &w = row.workload;
    if (role == SortRole) {
        switch (column) {
        case Restarts:
            return w.restarts;
        case Memory:
            return w.rssKib.value_or(-1);
        case Trend:
            return w.rssTrendKibPerMin.value_or(0);
        case Cpu:
            return w.cpuPercent.value_or(-1);
        default:
            return cell(row, column, Qt::DisplayRole);
        }
    }
    if (role == StatusRole) {
        const bool bad = (column == Process && w.supervised && w.processState != "running")
            || (column == Balancer && (w.balancerState == "ejected" || !w.ready))
            || (column == Trend && w.rssKeepsGrowing);
        return bad ? QVariant(static_cast<int>(Health::Failing)) : QVariant();
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Pod:
        return QString::fromStdString(w.pod);
    case Version:
        return QString::fromStdString(w.version);
    case Process:
        return w.supervised
            ? tr("%1 (pid %2)").arg(QString::fromStdString(w.processState)).arg(w.pid)
            : tr("yours");
    case Balancer:
        if (!w.ready)
            return tr("starting");
        return w.balancerState.empty() ? QStringLiteral("–")
                                       : QString::fromStdString(w.balancerState);
    case Restarts:
        return w.restarts;
    case Memory:
        return w.rssKib ? tr("%1 MiB").arg(*w.rssKib / 1024, 0, 'f', 1) : QStringLiteral("–");
    case Trend:
        if (!w.rssTrendKibPerMin)
            return QStringLiteral("–");
        return (w.rssKeepsGrowing ? QStringLiteral("⚠ ") : QString())
            + tr("%1 MiB/min").arg(*w.rssTrendKibPerMin / 1024, 0, 'f', 2);
    case Cpu:
        return w.cpuPercent ? tr("%1 %").arg(*w.cpuPercent, 0, 'f', 1) : QStringLiteral("–");
    default:
        return {};
    }
}

} // namespace meshscope::models
