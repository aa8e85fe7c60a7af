#include "admin/api_json.h"

namespace meshcore::admin {

nlohmann::json toJson(const VersionInfo &info)
{
    return {
        {"version", info.version},
        {"api_version", info.apiVersion},
        {"mesh", info.mesh},
        {"trust_domain", info.trustDomain},
        {"config_source", info.configSource},
        {"pid", info.pid},
        {"started_at_unix_ms", info.startedAtUnixMs},
        {"uptime_ms", info.uptimeMs},
        {"admin_address", info.adminAddress},
        {"state_dir", info.stateDir},
    };
}

Result<VersionInfo> versionInfoFromJson(const nlohmann::json &json)
{
    try {
        VersionInfo info;
        info.version = json.at("version").get<std::string>();
        info.apiVersion = json.at("api_version").get<int>();
        info.mesh = json.at("mesh").get<std::string>();
        info.trustDomain = json.value("trust_domain", "");
        info.configSource = json.value("config_source", "");
        info.pid = json.value<std::int64_t>("pid", 0);
        info.startedAtUnixMs = json.value<std::int64_t>("started_at_unix_ms", 0);
        info.uptimeMs = json.value<std::int64_t>("uptime_ms", 0);
        info.adminAddress = json.value("admin_address", "");
        info.stateDir = json.value("state_dir", "");
        return info;
    } catch (const nlohmann::json::exception &e) {
        return makeError(ErrorCode::Protocol,
                         std::string("unexpected answer from meshd's version endpoint: ") + e.what());
    }
}

nlohmann::json errorJson(ErrorCode code, const std::string &message)
{
    return {{"error", {{"code", errorCodeName(code)}, {"message", message}}}};
}

} // namespace meshcore::admin
