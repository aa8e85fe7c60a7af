// The cockpit's header: what the rollout rolls out, its state, its analysis and why it stopped.
#include <QDateTime>
#include <QLabel>
#include <QPushButton>

#include "models/explorer_models.h"
#include "models/rollout_text.h"
#include "ui/charts/interval_chart.h"
#include "ui/colour_scheme.h"
#include "ui/rollouts/fault_dialog.h"
#include "ui/rollouts/rollout_cockpit.h"

namespace meshscope::ui {
namespace {

using meshcore::rollout::Phase;

models::Health healthOf(Phase phase)
{
    return phase == Phase::RolledBack ? models::Health::Failing
        : phase == Phase::Paused      ? models::Health::Warning
        : phase == Phase::Aborted     ? models::Health::Idle
                                      : models::Health::Healthy;
}

QString clock(std::int64_t unix)
{
    return QDateTime::fromSecsSinceEpoch(unix).toString(QStringLiteral("HH:mm:ss"));
}

// "progressing: v2 at 20 % · 3 intervals passed, 0 failed (of 2 allowed) · started 12:00:01,
// 1 min 10 s ago"
QString stateLine(const meshcore::rollout::RolloutStatus &s)
{
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    const auto &spec = s.spec;
    QString line = QObject::tr("<b style=\"color:%1\">● %2</b>: %3 at %4 %")
                       .arg(colours::health(healthOf(s.phase)).name(), models::phaseText(s.phase),
                            QString::fromStdString(spec.candidate).toHtmlEscaped())
                       .arg(s.weight);
    line += QObject::tr(" · %1 passed, %2 failed (%3 failures roll it back)")
                .arg(s.passedIntervals)
                .arg(s.failedIntervals)
                .arg(spec.analysis.failureThreshold);
    if (s.attempt > 1)
        line += QObject::tr(" · attempt %1").arg(s.attempt);
    if (s.holdingSinceUnix)
        line += QObject::tr(" · holding for too few requests since %1")
                    .arg(clock(s.holdingSinceUnix));
    const qint64 end = s.finishedUnix ? s.finishedUnix : now;
    line += s.finishedUnix
        ? QObject::tr(" · started %1, finished %2 (took %3)")
              .arg(clock(s.startedUnix), clock(s.finishedUnix),
                   models::durationText(std::chrono::seconds(end - s.startedUnix)))
        : QObject::tr(" · started %1, %2 ago")
              .arg(clock(s.startedUnix),
                   models::durationText(std::chrono::seconds(end - s.startedUnix)));
    return line;
}

// "60 % answered 500, 10 % delayed 300 ms" (the parts that are on).
QString faultText(const meshcore::admin::FaultSpec &f)
{
    QStringList parts;
    if (f.abortPercent > 0)
        parts << QObject::tr("%1 % answered %2").arg(f.abortPercent).arg(f.abortStatus);
    if (f.delayPercent > 0)
        parts << QObject::tr("%1 % delayed %2 ms").arg(f.delayPercent).arg(f.delayMs);
    return parts.join(QStringLiteral(", "));
}

} // namespace

void RolloutCockpit::showHeader(const meshcore::rollout::RolloutStatus &s, bool current)
{
    const auto &spec = s.spec;
    m_title->setText(tr("%1 · %2 %3 → %4")
                         .arg(models::rolloutService(s), models::strategyText(spec.strategy),
                              QString::fromStdString(spec.stable),
                              QString::fromStdString(spec.candidate)));
    const auto *fault = faultOf(s);
    const QString candidate = QString::fromStdString(spec.candidate);
    m_state->setText(stateLine(s) + (current ? QString() : tr(" · an older rollout"))
                     + (fault ? tr(" · <b>%1 broken on purpose</b>: %2")
                                    .arg(candidate.toHtmlEscaped(), faultText(fault->fault))
                              : QString()));
    m_fault->setText(fault ? tr("Heal or Change %1…").arg(candidate)
                           : tr("Break %1…").arg(candidate));
    // Breaking a candidate that has ended (promoted: it carries all traffic) would break users.
    m_fault->setEnabled(fault || (current && meshcore::rollout::isActive(s.phase)));
    m_fault->setToolTip(tr("Inject a runtime fault into %1 (or remove it): a demo or rehearsal of "
                           "a broken candidate rolling back")
                            .arg(candidate));
    m_success->setTitle(tr("Success rate (at least %1 %)").arg(spec.analysis.minSuccessRate));
    m_p99->setTitle(spec.analysis.maxP99Ms ? tr("p99 (at most %1 ms)").arg(*spec.analysis.maxP99Ms)
                                           : tr("p99 (no limit)"));
    m_plan->setText(
        tr("Every %1: %2.")
            .arg(models::durationText(spec.interval), models::analysisClause(spec.analysis)));
    const bool stopped = s.phase == Phase::RolledBack || s.phase == Phase::Paused;
    m_reason->setVisible(!s.reason.empty());
    m_reason->setAutoFillBackground(stopped);
    if (stopped)
        colours::paintBanner(m_reason, s.phase == Phase::Paused);
    else
        m_reason->setPalette(palette());
    m_reason->setMargin(stopped ? 4 : 0);
    m_reason->setText(tr("Why: %1").arg(QString::fromStdString(s.reason)));
}

const meshcore::admin::VersionFault *
RolloutCockpit::faultOf(const meshcore::rollout::RolloutStatus &s) const
{
    for (const auto &f : m_faults)
        if (f.service == s.spec.service && f.ns == s.spec.ns && f.version == s.spec.candidate)
            return &f;
    return nullptr;
}

void RolloutCockpit::breakCandidate()
{
    const auto *status = m_models->selectedRollout();
    if (!status)
        return;
    const auto rollout = *status; // the dialog runs the event loop: polls go on
    const auto *now = faultOf(rollout);
    FaultDialog dialog(models::rolloutService(rollout),
                       QString::fromStdString(rollout.spec.candidate),
                       now ? std::optional(now->fault) : std::nullopt, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    Q_EMIT faultRequested(models::rolloutService(rollout),
                          QString::fromStdString(rollout.spec.candidate), dialog.fault());
}

} // namespace meshscope::ui
