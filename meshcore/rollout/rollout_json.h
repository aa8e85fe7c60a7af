#pragma once

// The JSON of rollouts, one shape for the admin API (both ways) and the state file. Internal to
// meshcore: nlohmann stays out of the headers models/ includes.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "control/rollout_config.h"
#include "core/result.h"
#include "rollout/rollout_status.h"

namespace meshcore::rollout {

nlohmann::json toJson(const control::RolloutSpec &spec);
// Strict for what a user sends, lenient (unknown fields ignored) for what meshd wrote: its
// answers and its state file, which a newer meshd may have written with more fields.
enum class SpecJson { Strict, Lenient };
// A spec as a user writes it (POST /api/v1/rollouts): every field but "service" and
// "candidate" may be left out (defaults: control::RolloutSpec's; "stable" is left empty for the
// caller to fill). Wrong types (and, strictly, unknown fields) are refused with a sentence
// naming the field.
Result<control::RolloutSpec> specFromJson(const nlohmann::json &json,
                                          SpecJson mode = SpecJson::Strict);

nlohmann::json toJson(const RolloutStatus &status);
// Lenient about unknown fields; its spec must pass control::rolloutSpecProblem.
Result<RolloutStatus> statusFromJson(const nlohmann::json &json);

// GET /api/v1/rollouts: {"rollouts": [...]}, active ones and the history of finished ones.
nlohmann::json toJson(const std::vector<RolloutStatus> &rollouts);
Result<std::vector<RolloutStatus>> statusesFromJson(const nlohmann::json &json);

} // namespace meshcore::rollout
