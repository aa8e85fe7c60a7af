#include "models/rollout_events_model.h"

#include <QDateTime>
#include <QHash>

#include "models/rollout_text.h"

namespace meshscope::models {

void RolloutEventsModel::setRollout(const meshcore::rollout::RolloutStatus *status)
{
    std::vector<TransitionRow> rows;
    if (status) {
        // Keyed by what happened, not by position: meshd drops the oldest past its bound.
        const QString rollout = rolloutKey(*status);
        QHash<QString, int> seen;
        for (const auto &t : status->transitions) {
            QString id = QStringLiteral("%1|%2|%3")
                             .arg(rollout)
                             .arg(t.unix)
                             .arg(QString::fromStdString(t.message));
            const int n = seen[id]++;
            if (n > 0)
                id += QLatin1Char('#') + QString::number(n);
            rows.push_back({t, id, static_cast<int>(rows.size())});
        }
    }
    apply(std::move(rows));
}

QVariant RolloutEventsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0
        || section >= ColumnCount)
        return {};
    static const char *const Titles[ColumnCount] = {"Time", "State", "Weight", "What happened"};
    return tr(Titles[section]);
}

QVariant RolloutEventsModel::cell(const TransitionRow &row, int column, int role) const
{
    const auto &t = row.transition;
    if (role == Qt::ToolTipRole)
        return QString::fromStdString(t.message);
    if (role == SortRole && column == Time)
        return qint64(t.unix) * 1000 + row.order;
    if (role == SortRole && column == Weight)
        return t.weight;
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (column) {
    case Time:
        return QDateTime::fromSecsSinceEpoch(t.unix).toString(QStringLiteral("HH:mm:ss"));
    case State:
        return phaseText(t.phase);
    case Weight:
        return QStringLiteral("%1 %").arg(t.weight);
    case Message:
        return QString::fromStdString(t.message);
    default:
        return {};
    }
}

} // namespace meshscope::models
