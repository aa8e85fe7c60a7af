// The rollout calls of the admin client (GET/POST /api/v1/rollouts, /api/v1/rollout...).
#include "client/admin_client.h"

#include <nlohmann/json.hpp>

#include "core/json_dump.h"
#include "rollout/rollout_json.h"

namespace meshcore::client {
namespace {

template <typename T, typename Parse>
Result<T> parsedBody(const Result<std::string> &body, Parse parse)
{
    if (!body)
        return tl::unexpected(body.error());
    const auto json = nlohmann::json::parse(*body, nullptr, false);
    if (json.is_discarded())
        return makeError(ErrorCode::Protocol, "meshd's rollout answer is not JSON");
    return parse(json);
}

} // namespace

Result<std::vector<rollout::RolloutStatus>> AdminClient::rollouts(const std::string &service)
{
    return parsedBody<std::vector<rollout::RolloutStatus>>(
        get("/api/v1/rollouts" + (service.empty() ? std::string() : "?service=" + service)),
        rollout::statusesFromJson);
}

Result<rollout::RolloutStatus> AdminClient::rollout(const std::string &service)
{
    return parsedBody<rollout::RolloutStatus>(get("/api/v1/rollout?service=" + service),
                                              rollout::statusFromJson);
}

Result<rollout::RolloutStatus> AdminClient::startRollout(const control::RolloutSpec &spec)
{
    return parsedBody<rollout::RolloutStatus>(
        post("/api/v1/rollouts", dumpJson(rollout::toJson(spec))), rollout::statusFromJson);
}

Result<rollout::RolloutStatus> AdminClient::rolloutAction(const std::string &service,
                                                          rollout::Action action,
                                                          std::optional<unsigned> weight)
{
    const std::string body = weight ? dumpJson(nlohmann::json {{"weight", *weight}}) : "";
    return parsedBody<rollout::RolloutStatus>(
        post(std::string("/api/v1/rollout/") + rollout::actionName(action) + "?service=" + service,
             body),
        rollout::statusFromJson);
}

} // namespace meshcore::client
