#include "models/rollout_text.h"

#include <QCoreApplication>

#include "core/service_key.h"

namespace meshscope::models {
namespace {

using meshcore::control::RolloutSpec;
using meshcore::control::RolloutStrategy;

QString tr(const char *text)
{
    return QCoreApplication::translate("rollout", text);
}

QString number(double value)
{
    return QString::number(value, 'g', 4);
}

QString matchText(const RolloutSpec &spec)
{
    if (!spec.match)
        return tr("the matching requests");
    const auto &m = *spec.match;
    const QString kind
        = m.kind == meshcore::control::RequestMatch::Kind::Header ? tr("header") : tr("cookie");
    return m.value.empty()
        ? tr("requests with the %1 %2").arg(kind, QString::fromStdString(m.name))
        : tr("requests with the %1 %2: %3")
              .arg(kind, QString::fromStdString(m.name), QString::fromStdString(m.value));
}

QString firstSentence(const RolloutSpec &spec)
{
    const QString candidate = QString::fromStdString(spec.candidate);
    const QString stable = QString::fromStdString(spec.stable);
    const QString every = durationText(spec.interval);
    const QString checks = analysisClause(spec.analysis);
    switch (spec.strategy) {
    case RolloutStrategy::Canary:
        if (spec.stepWeight >= spec.maxWeight)
            return tr("%1 gets %2 % now (%3 keeps the rest); after %4 with %5 it is promoted.")
                .arg(candidate)
                .arg(spec.maxWeight)
                .arg(stable, every, checks);
        return tr("%1 gets %2 % now (%3 keeps the rest), then +%4 % every %5 up to %6 % while %7; "
                  "a pass at %6 % promotes it to 100 %.")
            .arg(candidate)
            .arg(spec.stepWeight)
            .arg(stable)
            .arg(spec.stepWeight)
            .arg(every)
            .arg(spec.maxWeight)
            .arg(checks);
    case RolloutStrategy::BlueGreen:
        return tr("%1 gets only meshd's analysis traffic while %2 keeps all users; after %3 "
                  "passing intervals of %4 with %5 all traffic moves to %1 at once.")
            .arg(candidate, stable)
            .arg(spec.iterations)
            .arg(every, checks);
    case RolloutStrategy::AB:
        return tr("%1 go to %2, everything else to %3; after %4 passing intervals of %5 with %6, "
                  "all traffic moves to %2.")
            .arg(matchText(spec), candidate, stable)
            .arg(spec.iterations)
            .arg(every, checks);
    }
    return {};
}

QString relativeSentence(const meshcore::control::AnalysisConfig &a)
{
    QStringList parts;
    if (a.maxSuccessRateDrop)
        parts << tr("its success rate at most %1 points below stable's")
                     .arg(number(*a.maxSuccessRateDrop));
    if (a.maxP99Ratio)
        parts << tr("its p99 at most %1 × stable's").arg(number(*a.maxP99Ratio));
    if (parts.isEmpty())
        return {};
    return tr("Compared with stable over the same interval: %1.").arg(parts.join(tr(" and ")));
}

QString trafficSentence(const RolloutSpec &spec)
{
    const auto &t = spec.traffic;
    if (!t.enabled)
        return tr("meshd sends no analysis traffic: only users' requests count.");
    QStringList paths;
    for (const auto &path : t.paths)
        paths << QString::fromStdString(path);
    const QString what = tr("meshd sends %1 requests/s of its own to %2 (%3)")
                             .arg(number(t.rps), QString::fromStdString(spec.candidate),
                                  paths.join(QStringLiteral(", ")));
    return t.whenIdle ? tr("%1, but only once an interval held for too few requests.").arg(what)
                      : tr("%1, all through the rollout.").arg(what);
}

} // namespace

QString durationText(std::chrono::seconds duration)
{
    const auto s = duration.count();
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return s % 60 ? tr("%1 min %2 s").arg(s / 60).arg(s % 60) : tr("%1 min").arg(s / 60);
    return s % 3600 / 60 ? tr("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60)
                         : tr("%1 h").arg(s / 3600);
}

QString strategyText(RolloutStrategy strategy)
{
    switch (strategy) {
    case RolloutStrategy::Canary:
        return tr("canary");
    case RolloutStrategy::BlueGreen:
        return tr("blue/green");
    case RolloutStrategy::AB:
        return tr("A/B");
    }
    return {};
}

QString phaseText(meshcore::rollout::Phase phase)
{
    return QString::fromLatin1(meshcore::rollout::phaseName(phase)).replace(QLatin1Char('-'), ' ');
}

QString actionText(meshcore::rollout::Action action)
{
    using meshcore::rollout::Action;
    switch (action) {
    case Action::Pause:
        return tr("Pause");
    case Action::Resume:
        return tr("Resume");
    case Action::Promote:
        return tr("Promote…");
    case Action::Skip:
        return tr("Skip Step…");
    case Action::SetWeight:
        return tr("Set Weight…");
    case Action::Abort:
        return tr("Abort…");
    case Action::Retry:
        return tr("Retry…");
    }
    return {};
}

QString rolloutService(const meshcore::rollout::RolloutStatus &status)
{
    return QString::fromStdString(meshcore::qualifiedName(status.spec.service, status.spec.ns));
}

QString rolloutKey(const meshcore::rollout::RolloutStatus &status)
{
    return rolloutService(status) + QLatin1Char('@') + QString::number(status.startedUnix);
}

QString analysisClause(const meshcore::control::AnalysisConfig &a)
{
    QString clause = tr("success >= %1 %").arg(number(a.minSuccessRate));
    if (a.maxP99Ms)
        clause += tr(" and p99 <= %1 ms").arg(number(*a.maxP99Ms));
    return tr("%1 over at least %2 requests").arg(clause).arg(a.minRequests);
}

QStringList planSentences(const RolloutSpec &spec)
{
    const auto &a = spec.analysis;
    QStringList lines {firstSentence(spec)};
    if (const QString relative = relativeSentence(a); !relative.isEmpty())
        lines << relative;
    const QString stable = QString::fromStdString(spec.stable);
    lines << (a.failureThreshold == 1 ? tr("1 failed interval rolls it back to %1.").arg(stable)
                                      : tr("%1 failed intervals roll it back to %2.")
                                            .arg(a.failureThreshold)
                                            .arg(stable));
    lines << tr("An interval with fewer than %1 requests holds the step; holding longer than %2 "
                "rolls it back.")
                 .arg(a.minRequests)
                 .arg(durationText(a.maxHold));
    lines << trafficSentence(spec);
    lines << tr("Done in about %1 if every interval passes.")
                 .arg(durationText(meshcore::control::predictedDuration(spec)));
    return lines;
}

QString badgeText(const meshcore::rollout::RolloutStatus &status)
{
    const QString candidate = QString::fromStdString(status.spec.candidate);
    return QStringLiteral("%1 %2 %3 % %4")
        .arg(strategyText(status.spec.strategy), candidate)
        .arg(status.weight)
        .arg(phaseText(status.phase));
}

} // namespace meshscope::models
