// GET /api/v1/checks: the JSON of CheckInfo and ChecksReport, written by the daemon and read by
// the client, the CLI and the desktop app. The one place the check statuses are spelled.
#include "admin/api_json.h"

namespace meshcore::admin {

const char *checkStatusName(CheckInfo::Status status)
{
    switch (status) {
    case CheckInfo::Status::Pass:
        return "pass";
    case CheckInfo::Status::Warn:
        return "warn";
    case CheckInfo::Status::Fail:
        return "fail";
    }
    return "fail";
}

std::optional<CheckInfo::Status> checkStatusFromName(std::string_view name)
{
    for (const auto status :
         {CheckInfo::Status::Pass, CheckInfo::Status::Warn, CheckInfo::Status::Fail})
        if (name == checkStatusName(status))
            return status;
    return std::nullopt;
}

ChecksReport checksReport(std::vector<CheckInfo> checks)
{
    ChecksReport report;
    for (const auto &check : checks)
        if (static_cast<int>(check.status) > static_cast<int>(report.status))
            report.status = check.status;
    report.checks = std::move(checks);
    return report;
}

nlohmann::json toJson(const CheckInfo &check)
{
    return {{"name", check.name},
            {"title", check.title},
            {"status", checkStatusName(check.status)},
            {"message", check.message},
            {"hint", check.hint},
            {"subjects", check.subjects}};
}

nlohmann::json toJson(const ChecksReport &report)
{
    nlohmann::json checks = nlohmann::json::array();
    for (const auto &check : report.checks)
        checks.push_back(toJson(check));
    return {{"status", checkStatusName(report.status)}, {"checks", std::move(checks)}};
}

namespace {

CheckInfo::Status statusAt(const nlohmann::json &json, const char *key)
{
    const auto name = json.at(key).get<std::string>();
    const auto status = checkStatusFromName(name);
    if (!status)
        throw std::invalid_argument("unknown check status \"" + name + "\"");
    return *status;
}

CheckInfo checkFrom(const nlohmann::json &c)
{
    CheckInfo check;
    check.name = c.at("name").get<std::string>();
    check.title = c.at("title").get<std::string>();
    check.status = statusAt(c, "status");
    check.message = c.value("message", "");
    check.hint = c.value("hint", "");
    check.subjects = c.value("subjects", std::vector<std::string>());
    return check;
}

template <typename T, typename Parse> Result<T> parsedChecks(Parse parse)
{
    try {
        return parse();
    } catch (const std::exception &e) { // nlohmann's shape errors and an unknown status
        return makeError(ErrorCode::Protocol,
                         std::string("unexpected checks from meshd: ") + e.what());
    }
}

} // namespace

Result<CheckInfo> checkInfoFromJson(const nlohmann::json &json)
{
    return parsedChecks<CheckInfo>([&] { return checkFrom(json); });
}

Result<ChecksReport> checksReportFromJson(const nlohmann::json &json)
{
    return parsedChecks<ChecksReport>([&] {
        ChecksReport report;
        report.status = statusAt(json, "status");
        for (const auto &c : json.at("checks"))
            report.checks.push_back(checkFrom(c));
        return report;
    });
}

} // namespace meshcore::admin
