#include "cli/fault_command.h"
#include "core/service_key.h"

#include <charconv>
#include <cmath>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "admin/api_json.h"
#include "cli/cli_common.h"
#include "client/admin_client.h"
#include "core/duration.h"
#include "core/json_dump.h"

namespace meshcore::cli {
namespace {

constexpr const char *FaultHelp
    = R"help(Usage: meshd fault set SERVICE VERSION [--abort PERCENT[:STATUS]] [--delay PERCENT:MS]
       meshd fault clear SERVICE VERSION
       meshd fault list
       (each with [--json] [--admin ADDR] [--state-dir DIR])

Breaks one version of a service on purpose, to watch retries, breakers and a rollout's analysis
react: the inbound proxies of that version's replicas delay PERCENT % of its requests by MS
milliseconds (or a duration: 2s), then answer PERCENT % themselves with STATUS (default 503,
400-599) and "l5d-proxy-error: fault injected (version VERSION of SERVICE)", without the
workload seeing them. The fault holds until it is cleared or meshd stops (it is not saved); a
reload that removes the version clears it.

  meshd fault set api.shop v2 --abort 100
  meshd fault set api.shop v2 --abort 20:502 --delay 50:300
  meshd fault clear api.shop v2
  meshd fault list
)help";

// "12.5" or "12.5%": a share from 0 to 100.
std::optional<double> percentOf(std::string text)
{
    if (text.ends_with('%'))
        text.pop_back();
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size()
        || !std::isfinite(value) || value < 0 || value > 100)
        return std::nullopt;
    return value;
}

std::optional<std::int64_t> wholeNumber(std::string_view text)
{
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

// "200" (milliseconds, as the flag says) or a duration with its unit ("200ms", "2s").
std::optional<std::int64_t> delayMsOf(const std::string &text)
{
    if (const auto ms = wholeNumber(text))
        return ms;
    const auto duration = parseDuration(text);
    if (!duration)
        return std::nullopt;
    return duration->count();
}

Result<void> readAbort(const std::string &text, admin::FaultSpec &fault)
{
    const auto colon = text.find(':');
    const auto percent = percentOf(text.substr(0, colon));
    const auto status = colon == std::string::npos ? std::optional<std::int64_t>(503)
                                                   : wholeNumber(text.substr(colon + 1));
    if (!percent || !status || *status < 400 || *status > 599)
        return makeError(ErrorCode::InvalidArgument,
                         "--abort '" + text
                             + "' is not PERCENT[:STATUS] (like 100 or 20:502: a share from 0 to "
                               "100, an error status from 400 to 599)");
    fault.abortPercent = *percent;
    fault.abortStatus = *status;
    return {};
}

Result<void> readDelay(const std::string &text, admin::FaultSpec &fault)
{
    const auto colon = text.find(':');
    const auto percent
        = colon == std::string::npos ? std::nullopt : percentOf(text.substr(0, colon));
    const auto ms = colon == std::string::npos ? std::nullopt : delayMsOf(text.substr(colon + 1));
    if (!percent || !ms || *ms < 1 || *ms > 60000)
        return makeError(ErrorCode::InvalidArgument,
                         "--delay '" + text
                             + "' is not PERCENT:MS (like 50:200 or 10:2s: a share from 0 to 100, "
                               "a delay from 1ms to 60s)");
    fault.delayPercent = *percent;
    fault.delayMs = *ms;
    return {};
}

// "100% 503", "10% 200ms", or "-" for none.
std::string abortText(const admin::FaultSpec &fault)
{
    if (fault.abortPercent <= 0)
        return "-";
    std::ostringstream text;
    text << fault.abortPercent << "% " << fault.abortStatus;
    return text.str();
}

std::string delayText(const admin::FaultSpec &fault)
{
    if (fault.delayPercent <= 0)
        return "-";
    std::ostringstream text;
    text << fault.delayPercent << "% " << formatDuration(std::chrono::milliseconds(fault.delayMs));
    return text.str();
}

void printFaults(std::ostream &out, const std::vector<admin::VersionFault> &faults)
{
    if (faults.empty()) {
        out << "no version has a fault\n";
        return;
    }
    std::vector<std::vector<std::string>> rows {{"SERVICE", "VERSION", "ABORT", "DELAY"}};
    for (const auto &f : faults)
        rows.push_back(
            {qualifiedName(f.service, f.ns), f.version, abortText(f.fault), delayText(f.fault)});
    printTable(out, rows);
}

int failed(std::ostream &err, const Error &error)
{
    err << "meshd fault: " << error.message << "\n";
    return ExitFailed;
}

// What is wrong with the words and flags of `meshd fault ...`, if anything.
std::optional<std::string> usageProblem(const ParsedArgs &args)
{
    const auto &words = args.positional();
    const std::string action = words.empty() ? "" : words.front();
    if (action != "set" && action != "clear" && action != "list")
        return "say set, clear or list: meshd fault set api.shop v2 --abort 100";
    if (action == "list" && words.size() != 1)
        return "meshd fault list takes no argument";
    if (action != "list" && words.size() != 3)
        return "name the service and the version: meshd fault " + action + " api.shop v2";
    if (action != "set" && (args.has("abort") || args.has("delay")))
        return "--abort and --delay are for meshd fault set";
    return std::nullopt;
}

int listFaults(client::AdminClient &client, bool json, std::ostream &out, std::ostream &err)
{
    auto faults = client.faults();
    if (!faults)
        return failed(err, faults.error());
    if (json)
        out << dumpJson(admin::toJson(*faults), 2) << "\n";
    else
        printFaults(out, *faults);
    return ExitOk;
}

int clearFault(client::AdminClient &client, const std::string &service, const std::string &version,
               bool json, std::ostream &out, std::ostream &err)
{
    auto cleared = client.clearFault(service, version);
    if (!cleared)
        return failed(err, cleared.error());
    const auto name = cleared->version + " of " + qualifiedName(cleared->service, cleared->ns);
    if (json)
        out << dumpJson(admin::toJson(*cleared), 2) << "\n";
    else
        out << (cleared->cleared ? "fault on " + name + " cleared" : name + " had no fault")
            << "\n";
    return ExitOk;
}

int setFault(client::AdminClient &client, const std::string &service, const std::string &version,
             const admin::FaultSpec &fault, bool json, std::ostream &out, std::ostream &err)
{
    auto set = client.setFault(service, version, fault);
    if (!set)
        return failed(err, set.error());
    if (json)
        out << dumpJson(admin::toJson(*set), 2) << "\n";
    else
        printFaults(out, {*set});
    return ExitOk;
}

} // namespace

Result<admin::FaultSpec> faultFromFlags(const std::optional<std::string> &abort,
                                        const std::optional<std::string> &delay)
{
    if (!abort && !delay)
        return makeError(
            ErrorCode::InvalidArgument,
            "say what to inject: --abort PERCENT[:STATUS], --delay PERCENT:MS, or both");
    admin::FaultSpec fault;
    if (abort)
        if (auto read = readAbort(*abort, fault); !read)
            return tl::unexpected(read.error());
    if (delay)
        if (auto read = readDelay(*delay, fault); !read)
            return tl::unexpected(read.error());
    return fault;
}

int runFaultVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err)
{
    auto args = parseArgs(
        rest, {{"admin"}, {"state-dir"}, {"json", false}, {"help", false}, {"abort"}, {"delay"}});
    if (!args)
        return usageError(err, "fault", args.error().message);
    if (args->has("help")) {
        out << FaultHelp;
        return ExitOk;
    }
    if (auto problem = usageProblem(*args))
        return usageError(err, "fault", *problem);
    CommonFlags common;
    if (auto problem = readCommonFlags(*args, common))
        return usageError(err, "fault", *problem);
    const auto &words = args->positional();
    std::optional<admin::FaultSpec> fault;
    if (words.front() == "set") {
        auto asked = faultFromFlags(args->value("abort"), args->value("delay"));
        if (!asked)
            return usageError(err, "fault", asked.error().message);
        fault = *asked;
    }
    auto client = adminClient(common);
    if (!client)
        return failed(err, client.error());
    const bool json = args->has("json");
    if (words.front() == "list")
        return listFaults(**client, json, out, err);
    if (words.front() == "clear")
        return clearFault(**client, words[1], words[2], json, out, err);
    return setFault(**client, words[1], words[2], *fault, json, out, err);
}

} // namespace meshcore::cli
