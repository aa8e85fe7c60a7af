#include "cli/split_command.h"
#include "core/service_key.h"

#include <charconv>
#include <iomanip>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "admin/admin_token.h"
#include "admin/api_json.h"
#include "cli/cli_common.h"
#include "client/admin_client.h"
#include "core/json_dump.h"

namespace meshcore::cli {
namespace {

constexpr const char *SplitHelp
    = R"(Usage: meshd split SERVICE [VERSION=WEIGHT...] [--json] [--admin ADDR] [--state-dir DIR]

Shows how SERVICE's traffic is split between its versions or, with VERSION=WEIGHT pairs, sets
the split (versions not named get weight 0). The change applies within a second, drops no
request, and is refused as a whole if a version is unknown or the weights add up to 0. A split
set here is saved in the state directory and comes back after a restart of meshd, until
mesh.yaml changes this service's split; setting the file's split again forgets it.

  meshd split api.shop
  meshd split api.shop v1=90 v2=10
)";

// Where the split comes from and whether it outlives a restart of meshd, in one line.
std::string sourceLine(const admin::SplitInfo &split)
{
    if (split.source != "runtime")
        return "from mesh.yaml";
    if (split.persisted)
        return "set at run time; kept across restarts until mesh.yaml changes this split";
    return "set at run time; NOT saved (see meshd events): a restart of meshd goes back to "
           "mesh.yaml's split";
}

void printTable(const admin::SplitInfo &split, std::ostream &out)
{
    const std::string service = qualifiedName(split.service, split.ns);
    long long total = 0;
    for (const auto &b : split.backends)
        total += b.weight;
    std::size_t width = std::string("SERVICE").size();
    width = std::max(width, service.size());
    out << std::left << std::setw(static_cast<int>(width) + 2) << "SERVICE" << std::setw(12)
        << "VERSION" << std::setw(10) << "WEIGHT"
        << "SHARE\n";
    for (const auto &b : split.backends) {
        const long long weight = b.weight;
        std::ostringstream share;
        share << std::fixed << std::setprecision(1)
              << (total ? 100.0 * static_cast<double>(weight) / static_cast<double>(total) : 0.0)
              << "%";
        out << std::left << std::setw(static_cast<int>(width) + 2) << service << std::setw(12)
            << b.version << std::setw(10) << weight << share.str() << "\n";
    }
    out << sourceLine(split) << "\n";
}

} // namespace

int runSplitVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err)
{
    auto args = parseArgs(rest, {{"admin"}, {"state-dir"}, {"json", false}, {"help", false}});
    if (!args)
        return usageError(err, "split", args.error().message);
    if (args->has("help")) {
        out << SplitHelp;
        return ExitOk;
    }
    if (args->positional().empty())
        return usageError(err, "split", "name the service: meshd split api.shop [v1=90 v2=10]");
    CommonFlags common;
    if (auto problem = readCommonFlags(*args, common))
        return usageError(err, "split", *problem);
    const std::string service = args->positional().front();
    std::vector<admin::BackendShare> backends;
    for (std::size_t i = 1; i < args->positional().size(); ++i) {
        const auto &pair = args->positional()[i];
        const auto equals = pair.find('=');
        unsigned weight = 0;
        const char *begin = pair.data() + (equals == std::string::npos ? 0 : equals + 1);
        const auto [end, ec] = std::from_chars(begin, pair.data() + pair.size(), weight);
        if (equals == std::string::npos || equals == 0 || ec != std::errc()
            || end != pair.data() + pair.size())
            return usageError(err, "split",
                              "'" + pair + "' is not VERSION=WEIGHT (like v2=10, a whole number)");
        admin::BackendShare backend;
        backend.version = pair.substr(0, equals);
        backend.weight = weight;
        backends.push_back(std::move(backend));
    }

    auto client = adminClient(common);
    if (!client) {
        err << "meshd split: " << client.error().message << "\n";
        return ExitFailed;
    }
    auto split
        = backends.empty() ? (*client)->split(service) : (*client)->setSplit(service, backends);
    if (!split) {
        err << "meshd split: " << split.error().message << "\n";
        return ExitFailed;
    }
    if (args->has("json"))
        out << dumpJson(admin::toJson(*split), 2) << "\n";
    else
        printTable(*split, out);
    return ExitOk;
}

} // namespace meshcore::cli
