#include "models/rollout_intervals_model.h"

#include <QStringList>

#include "models/figures_text.h"
#include "models/health.h"
#include "models/rollout_text.h"

namespace meshscope::models {
namespace {

using meshcore::rollout::IntervalRecord;
using meshcore::rollout::Verdict;

Health healthOfVerdict(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Pass:
        return Health::Healthy;
    case Verdict::Fail:
        return Health::Failing;
    case Verdict::Hold:
        return Health::Warning;
    case Verdict::Skipped:
        return Health::Idle;
    }
    return Health::Idle;
}

// The check named `name` in the interval, or null.
const meshcore::rollout::CheckResult *check(const IntervalRecord &interval, const char *name)
{
    for (const auto &c : interval.checks)
        if (c.name == name)
            return &c;
    return nullptr;
}

// Red when the cell's check failed, green when it passed, no colour when it did not run.
QVariant checkStatus(const IntervalRecord &interval, const char *name)
{
    const auto *c = check(interval, name);
    if (!c)
        return {};
    return static_cast<int>(c->passed ? Health::Healthy : Health::Failing);
}

QString percent(const meshcore::rollout::VersionFigures &figures)
{
    return figures.requests ? humanPercent(figures.successRate / 100) : QStringLiteral("–");
}

QString ms(const meshcore::rollout::VersionFigures &figures)
{
    return figures.requests ? humanMs(figures.p99Ms) : QStringLiteral("–");
}

QString checksTip(const IntervalRecord &interval)
{
    QStringList lines {QString::fromStdString(interval.summary)};
    for (const auto &c : interval.checks)
        lines << (c.passed ? QStringLiteral("✔ ") : QStringLiteral("✖ "))
                + QString::fromStdString(c.text);
    return lines.join(QLatin1Char('\n'));
}

} // namespace

QString intervalDecision(const IntervalRecord &interval)
{
    QStringList failing;
    for (const auto &c : interval.checks)
        if (!c.passed)
            failing << QString::fromStdString(c.text);
    return failing.isEmpty() ? QString::fromStdString(interval.summary)
                             : failing.join(QStringLiteral("; "));
}

void RolloutIntervalsModel::setRollout(const meshcore::rollout::RolloutStatus *status)
{
    std::vector<IntervalRow> rows;
    if (status) {
        const QString key = rolloutKey(*status);
        for (const auto &interval : status->intervals)
            rows.push_back({interval, key + QLatin1Char('#') + QString::number(interval.index)});
    }
    apply(std::move(rows));
}

QVariant RolloutIntervalsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    static const char *const Titles[ColumnCount] = {"#",
                                                    "Weight",
                                                    "Verdict",
                                                    "Candidate success",
                                                    "Candidate p99",
                                                    "Stable success",
                                                    "Stable p99",
                                                    "Requests",
                                                    "What it decided"};
    if (role == Qt::DisplayRole)
        return tr(Titles[section]);
    if (role == Qt::ToolTipRole && section == Requests)
        return tr("Requests to the candidate / to stable in the interval");
    return {};
}

QVariant RolloutIntervalsModel::cell(const IntervalRow &row, int column, int role) const
{
    const auto &i = row.interval;
    if (role == StatusRole)
        return column == Verdict         ? QVariant(static_cast<int>(healthOfVerdict(i.verdict)))
            : column == CandidateSuccess ? checkStatus(i, "success-rate")
            : column == CandidateP99     ? checkStatus(i, "latency-p99")
                                         : QVariant();
    if (role == Qt::ToolTipRole)
        return checksTip(i);
    if (role == SortRole && column != Verdict && column != Decision)
        switch (column) {
        case Index:
            return i.index;
        case Weight:
            return i.weight;
        case CandidateSuccess:
            return i.candidate.successRate;
        case CandidateP99:
            return i.candidate.p99Ms;
        case StableSuccess:
            return i.stable.successRate;
        case StableP99:
            return i.stable.p99Ms;
        default:
            return qulonglong(i.candidate.requests);
        }
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (column) {
    case Index:
        return i.index;
    case Weight:
        return QStringLiteral("%1 %").arg(i.weight);
    case Verdict:
        return QString::fromLatin1(meshcore::rollout::verdictName(i.verdict));
    case CandidateSuccess:
        return percent(i.candidate);
    case CandidateP99:
        return ms(i.candidate);
    case StableSuccess:
        return percent(i.stable);
    case StableP99:
        return ms(i.stable);
    case Requests:
        return QStringLiteral("%1 / %2").arg(i.candidate.requests).arg(i.stable.requests);
    case Decision:
        return intervalDecision(i);
    default:
        return {};
    }
}

} // namespace meshscope::models
