#include "cli/check_command.h"

#include <ostream>

#include <nlohmann/json.hpp>

#include "admin/api_json.h"
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
    auto client = adminClient(common);
    auto report = client ? (*client)->checks()
                         : Result<admin::ChecksReport>(tl::unexpected(client.error()));
    if (!report) {
        err << "meshd check: " << report.error().message << "\n";
        return ExitFailed;
    }
    using Status = admin::CheckInfo::Status;
    const bool failed = report->status == Status::Fail;
    if (args->has("json")) {
        out << dumpJson(admin::toJson(*report), 2) << "\n";
        return failed ? ExitFailed : ExitOk;
    }
    int warnings = 0;
    int failures = 0;
    for (const auto &check : report->checks) {
        out << (check.status == Status::Pass       ? "\u221a "
                    : check.status == Status::Warn ? "\u203c "
                                                   : "\u00d7 ")
            << check.title << "\n";
        if (check.status == Status::Pass)
            continue;
        (check.status == Status::Warn ? warnings : failures) += 1;
        out << "    " << check.message << "\n    hint: " << check.hint << "\n";
    }
    out << "\nStatus: ";
    if (!warnings && !failures)
        out << "all checks pass\n";
    else
        out << failures << " failing, " << warnings << " warning" << (warnings == 1 ? "" : "s")
            << "\n";
    return failed ? ExitFailed : ExitOk;
}

} // namespace meshcore::cli
