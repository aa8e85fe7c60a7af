#include "cli/check_command.h"

#include <ostream>

#include <nlohmann/json.hpp>

#include "cli/cli_common.h"
#include "core/json_dump.h"

namespace meshcore::cli {
namespace {

constexpr const char *CheckHelp = R"(Usage: meshd check [--json] [--admin ADDR] [--state-dir DIR]

Runs the mesh's health checks and says what to do about each problem:
  the CA can issue; no certificate is expired or about to expire; every name called is a service
  (did you mean ...?); no supervised process is crash-looping; every workload listens on its
  port; no connection reaches a workload without its sidecar; the config on disk is the one in
  force. Exit status 1 when a check fails; warnings alone exit 0.
)";

} // namespace

int runCheckVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err)
{
    CommonFlags common;
    auto parsed = readSimpleVerb(rest, "check", CheckHelp, common, out, err);
    if (const int *status = std::get_if<int>(&parsed))
        return *status;
    const auto *args = &std::get<ParsedArgs>(parsed);
    const auto body = adminGet(common, "/api/v1/checks");
    if (!body) {
        err << "meshd check: " << body.error().message << "\n";
        return ExitFailed;
    }
    const auto json = nlohmann::json::parse(*body, nullptr, false);
    if (json.is_discarded() || !json.contains("checks")) {
        err << "meshd check: meshd's answer is not a list of checks\n";
        return ExitFailed;
    }
    const bool failed = json.value("status", "fail") == "fail";
    if (args->has("json")) {
        out << dumpJson(json, 2) << "\n";
        return failed ? ExitFailed : ExitOk;
    }
    int warnings = 0;
    int failures = 0;
    for (const auto &check : json["checks"]) {
        const std::string status = check.value("status", "fail");
        out << (status == "pass" ? "\u221a " : status == "warn" ? "\u203c " : "\u00d7 ") << check.value("title", "") << "\n";
        if (status == "pass")
            continue;
        (status == "warn" ? warnings : failures) += 1;
        out << "    " << check.value("message", "") << "\n    hint: " << check.value("hint", "") << "\n";
    }
    out << "\nStatus: ";
    if (!warnings && !failures)
        out << "all checks pass\n";
    else
        out << failures << " failing, " << warnings << " warning" << (warnings == 1 ? "" : "s") << "\n";
    return failed ? ExitFailed : ExitOk;
}

} // namespace meshcore::cli
