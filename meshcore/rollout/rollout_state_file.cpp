// The controller's state file (rollout_controller.h): every rollout with its history, and the
// specs of mesh.yaml already run, written atomically, read back at start.
#include <system_error>

#include "core/json_dump.h"
#include "core/state_dir.h"
#include "rollout/rollout_controller.h"
#include "rollout/rollout_json.h"

namespace meshcore::rollout {
namespace {

constexpr int StateFormat = 1;

// The rollouts and the config specs of a state file's text.
Result<std::pair<std::vector<RolloutStatus>, std::vector<control::RolloutSpec>>>
parseState(const std::string &text)
{
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded() || !json.is_object())
        return makeError(ErrorCode::Protocol, "it is not a JSON object");
    if (json.value("format", 0) != StateFormat)
        return makeError(ErrorCode::Protocol, "it is not in format " + std::to_string(StateFormat));
    auto statuses = statusesFromJson(json);
    if (!statuses)
        return tl::unexpected(statuses.error());
    std::vector<control::RolloutSpec> applied;
    if (const auto it = json.find("config_applied"); it != json.end() && it->is_array())
        for (const auto &spec : *it)
            if (auto parsed = specFromJson(spec, SpecJson::Lenient))
                applied.push_back(*parsed);
    return std::pair {std::move(*statuses), std::move(applied)};
}

} // namespace

Result<void> RolloutController::load()
{
    m_loadedAt = m_clock.now();
    std::error_code ec;
    if (!std::filesystem::exists(m_stateFile, ec) && !ec)
        return {};
    auto text = readSmallFile(m_stateFile, MaxStateFile);
    auto state = text ? parseState(*text) : tl::unexpected(text.error());
    if (!state) {
        auto aside = m_stateFile;
        aside += ".unreadable";
        std::filesystem::rename(m_stateFile, aside, ec);
        return makeError(ErrorCode::Config,
                         "the rollout state " + m_stateFile.string() + " could not be read ("
                             + state.error().message + "); "
                             + (ec ? "it could not be moved aside either (" + ec.message() + ")"
                                   : "it was moved to " + aside.string())
                             + " and meshd starts with no rollouts");
    }
    m_configApplied = std::move(state->second);
    for (auto &status : state->first) {
        auto rollout = std::make_unique<Rollout>(std::move(status));
        rollout->recover(m_traffic, m_clock.now());
        if (isActive(rollout->status().phase))
            m_warming.push_back(rollout.get());
        m_rollouts.push_back(std::move(rollout));
        report(*m_rollouts.back());
    }
    save();
    return {};
}

void RolloutController::save()
{
    m_savedAt = m_clock.now();
    std::vector<RolloutStatus> statuses;
    for (const auto &rollout : m_rollouts)
        statuses.push_back(rollout->status());
    auto json = toJson(statuses);
    json["format"] = StateFormat;
    json["config_applied"] = nlohmann::json::array();
    for (const auto &spec : m_configApplied)
        json["config_applied"].push_back(toJson(spec));
    if (auto written = writeFileAtomically(m_stateFile, dumpJson(json), 0600); !written) {
        m_saveProblem = "the rollout state could not be saved: " + written.error().message;
        if (!m_saveFailing) // once per failing spell, not at every attempt
            m_events("rollouts", *m_saveProblem + " (the last saved state stays whole)");
        m_saveFailing = true;
        return;
    }
    if (m_saveFailing)
        m_events("rollouts", "the rollout state is saved again");
    m_saveFailing = false;
    m_saveProblem.reset();
}

} // namespace meshcore::rollout
