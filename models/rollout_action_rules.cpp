#include "models/rollout_action_rules.h"

#include <QCoreApplication>

#include "models/rollout_text.h"

namespace meshscope::models {
namespace {

using meshcore::rollout::Action;
using meshcore::rollout::Phase;

QString tr(const char *text)
{
    return QCoreApplication::translate("rollout", text);
}

} // namespace

bool actionApplies(const meshcore::rollout::RolloutStatus &status, Action action, bool current)
{
    if (!current)
        return false;
    const Phase phase = status.phase;
    const bool running = phase == Phase::Progressing || phase == Phase::Paused;
    switch (action) {
    case Action::Pause:
        return phase == Phase::Progressing;
    case Action::Resume:
        return phase == Phase::Paused;
    case Action::Promote:
    case Action::Skip:
        return running;
    case Action::SetWeight:
        return running && status.spec.strategy == meshcore::control::RolloutStrategy::Canary;
    case Action::Abort:
        return meshcore::rollout::isActive(phase);
    case Action::Retry:
        return phase == Phase::RolledBack || phase == Phase::Aborted;
    }
    return false;
}

bool changesTraffic(Action action)
{
    return action != Action::Pause && action != Action::Resume;
}

QString confirmationText(const meshcore::rollout::RolloutStatus &status, Action action)
{
    const QString service = rolloutService(status);
    const QString candidate = QString::fromStdString(status.spec.candidate);
    const QString stable = QString::fromStdString(status.spec.stable);
    switch (action) {
    case Action::Promote:
        return tr("Give %1 100 % of %2 now, without waiting for the analysis?")
            .arg(candidate, service);
    case Action::Skip:
        return tr("Count the interval under analysis as passed and take the next step for %1 "
                  "(%2 now at %3 %)?")
            .arg(service, candidate)
            .arg(status.weight);
    case Action::SetWeight:
        return tr("Set %1's share of %2 by hand (now %3 %). The analysis goes on from there.")
            .arg(candidate, service)
            .arg(status.weight);
    case Action::Abort:
        return tr("Abort the rollout of %1: all traffic goes back to %2, %3 gets 0 %?")
            .arg(service, stable, candidate);
    case Action::Retry:
        return tr("Start the rollout of %1 over (attempt %2): %3 gets traffic again?")
            .arg(service)
            .arg(status.attempt + 1)
            .arg(candidate);
    case Action::Pause:
    case Action::Resume:
        break;
    }
    return {};
}

QString actionDoneText(const meshcore::rollout::RolloutStatus &after, Action action)
{
    return tr("rollout of %1: %2 done, now %3 at %4 %")
        .arg(rolloutService(after), QString::fromLatin1(meshcore::rollout::actionName(action)),
             phaseText(after.phase))
        .arg(after.weight);
}

} // namespace meshscope::models
