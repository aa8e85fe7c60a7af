#include "cli/reload_command.h"

#include <ostream>

#include <nlohmann/json.hpp>

#include "admin/api_json.h"
#include "cli/cli_common.h"
#include "core/json_dump.h"

namespace meshcore::cli {
namespace {

constexpr const char *ReloadHelp = R"(Usage: meshd reload [--json] [--admin ADDR] [--state-dir DIR]

Applies the running meshd's configuration file (its --config) now: new services and replicas get
sidecars and start, removed ones leave the balancers at once and stop once their requests are
done, and policy (routes, timeouts, retries, splits, faults) applies to the next request. No
request in flight is dropped. An invalid file is refused with its file:line:column and the
configuration in force stays (exit 1). meshd also applies the file by itself within a second of
it changing, and on SIGHUP.
)";

} // namespace

int runReloadVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err)
{
    CommonFlags common;
    auto parsed = readSimpleVerb(rest, "reload", ReloadHelp, common, out, err);
    if (const int *status = std::get_if<int>(&parsed))
        return *status;
    const auto *args = &std::get<ParsedArgs>(parsed);
    auto client = adminClient(common);
    if (!client) {
        err << "meshd reload: " << client.error().message << "\n";
        return ExitFailed;
    }
    const auto result = (*client)->reload();
    if (!result) {
        err << "meshd reload: " << result.error().message << "\n";
        return ExitFailed;
    }
    if (args->has("json")) {
        out << dumpJson(admin::toJson(*result), 2) << "\n";
        return ExitOk;
    }
    out << "reloaded " << result->configFile << ": " << result->summary << "\n";
    return ExitOk;
}

} // namespace meshcore::cli
