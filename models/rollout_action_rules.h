#pragma once

#include <QString>

#include <array>

#include "rollout/rollout.h"
#include "rollout/rollout_status.h"

namespace meshscope::models {

// Which manual actions apply to a rollout, as meshd's state machine allows them (rollout.h), and
// what the app asks before an action that moves traffic. A rollout that is not its service's
// current one (an older one in the history) takes no action: meshd acts on the current one.

inline constexpr std::array<meshcore::rollout::Action, 7> AllActions {
    meshcore::rollout::Action::Pause,     meshcore::rollout::Action::Resume,
    meshcore::rollout::Action::Promote,   meshcore::rollout::Action::Skip,
    meshcore::rollout::Action::SetWeight, meshcore::rollout::Action::Abort,
    meshcore::rollout::Action::Retry,
};

bool actionApplies(const meshcore::rollout::RolloutStatus &status, meshcore::rollout::Action action,
                   bool current = true);
// Promote, skip, set weight, abort and retry move traffic: the app asks first.
bool changesTraffic(meshcore::rollout::Action action);
// The question before `action` ("Give v2 100 % of recommendations.shop now?...").
QString confirmationText(const meshcore::rollout::RolloutStatus &status,
                         meshcore::rollout::Action action);
// How an action that meshd carried out reads in the status bar.
QString actionDoneText(const meshcore::rollout::RolloutStatus &after,
                       meshcore::rollout::Action action);

} // namespace meshscope::models
