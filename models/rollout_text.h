#pragma once

#include <QString>
#include <QStringList>

#include <chrono>

#include "rollout/rollout.h"
#include "rollout/rollout_status.h"

namespace meshscope::models {

// Rollouts in words, for the wizard's review page, the cockpit's header and the topology's badge.
// Shared by models and views; no widgets.

// "30 s", "2 min 30 s", "1 h 5 min".
QString durationText(std::chrono::seconds duration);
// "canary", "blue/green", "A/B".
QString strategyText(meshcore::control::RolloutStrategy strategy);
// "progressing", "rolled back", ... (meshd's words, spaced).
QString phaseText(meshcore::rollout::Phase phase);
// "Pause", "Set weight…", ... (the buttons' words).
QString actionText(meshcore::rollout::Action action);
// The rollout's identity in the app: "recommendations.shop" (the topology's node key).
QString rolloutService(const meshcore::rollout::RolloutStatus &status);
// One rollout among all (a retry keeps it): "recommendations.shop@1718000000".
QString rolloutKey(const meshcore::rollout::RolloutStatus &status);

// What a rollout of `spec` will do, one sentence a line: "v2 gets 10 % now, then +10 % every 30 s
// while success >= 99 % and p99 <= 500 ms over at least 20 requests; 2 failed intervals roll it
// back; done in about 2 min 30 s if all pass."
QStringList planSentences(const meshcore::control::RolloutSpec &spec);
// The analysis of one interval: "success >= 99 % and p99 <= 500 ms over at least 20 requests".
QString analysisClause(const meshcore::control::AnalysisConfig &analysis);
// The topology's badge: "canary v2 20 % progressing".
QString badgeText(const meshcore::rollout::RolloutStatus &status);

} // namespace meshscope::models
