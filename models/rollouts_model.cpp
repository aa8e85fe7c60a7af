#include "models/rollouts_model.h"

#include <QDateTime>
#include <QSet>

#include "models/health.h"
#include "models/rollout_text.h"

namespace meshscope::models {
namespace {

using meshcore::rollout::Phase;

Health healthOfPhase(Phase phase)
{
    switch (phase) {
    case Phase::Progressing:
    case Phase::Promoting:
    case Phase::Succeeded:
        return Health::Healthy;
    case Phase::Paused:
        return Health::Warning;
    case Phase::RolledBack:
        return Health::Failing;
    case Phase::Aborted:
        return Health::Idle;
    }
    return Health::Idle;
}

QString clock(std::int64_t unix)
{
    return QDateTime::fromSecsSinceEpoch(unix).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

void RolloutsModel::setRollouts(const std::vector<meshcore::rollout::RolloutStatus> *rollouts)
{
    std::vector<RolloutRow> rows;
    QSet<QString> seenServices;
    QSet<QString> ids;
    if (rollouts)
        for (const auto &status : *rollouts) {
            RolloutRow row {status, rolloutKey(status), false};
            // meshd lists a service's active or latest rollout before its older ones.
            row.current = !seenServices.contains(rolloutService(status));
            seenServices.insert(rolloutService(status));
            while (ids.contains(row.id))
                row.id += QLatin1Char('+');
            ids.insert(row.id);
            rows.push_back(std::move(row));
        }
    apply(std::move(rows));
}

QString RolloutsModel::currentOf(const QString &service) const
{
    for (const auto &row : rows())
        if (row.current && rolloutService(row.status) == service)
            return row.id;
    return {};
}

QString RolloutsModel::firstActive() const
{
    for (const auto &row : rows())
        if (meshcore::rollout::isActive(row.status.phase))
            return row.id;
    return {};
}

QVariant RolloutsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0
        || section >= ColumnCount)
        return {};
    static const char *const Titles[ColumnCount]
        = {"Service", "Strategy", "Versions", "State", "Weight", "Started", "Took", "Why"};
    return tr(Titles[section]);
}

QVariant RolloutsModel::cell(const RolloutRow &row, int column, int role) const
{
    const auto &s = row.status;
    if (role == StatusRole && column == State)
        return static_cast<int>(healthOfPhase(s.phase));
    if (role == Qt::ToolTipRole)
        return s.reason.empty() ? QVariant() : QString::fromStdString(s.reason);
    if (role == SortRole && (column == Started || column == Took || column == Weight))
        return column == Weight ? QVariant(s.weight)
            : column == Started ? QVariant(qint64(s.startedUnix))
                                : QVariant(qint64(s.finishedUnix - s.startedUnix));
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (column) {
    case Service:
        return rolloutService(s);
    case Strategy:
        return strategyText(s.spec.strategy);
    case Versions:
        return QStringLiteral("%1 → %2").arg(QString::fromStdString(s.spec.stable),
                                             QString::fromStdString(s.spec.candidate));
    case State:
        return s.attempt > 1 ? tr("%1 (attempt %2)").arg(phaseText(s.phase)).arg(s.attempt)
                             : phaseText(s.phase);
    case Weight:
        return QStringLiteral("%1 %").arg(s.weight);
    case Started:
        return clock(s.startedUnix);
    case Took:
        return s.finishedUnix ? durationText(std::chrono::seconds(s.finishedUnix - s.startedUnix))
                              : tr("running");
    case Reason:
        return QString::fromStdString(s.reason);
    default:
        return {};
    }
}

} // namespace meshscope::models
