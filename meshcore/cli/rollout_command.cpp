#include "cli/rollout_command.h"

#include <iostream>
#include <ostream>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "cli/cli_common.h"
#include "cli/rollout_spec_flags.h"
#include "client/admin_client.h"
#include "core/json_dump.h"
#include "rollout/rollout_json.h"

namespace meshcore::cli {
namespace {

constexpr const char *RolloutHelp
    = R"(Usage: meshd rollout VERB ... [--json] [--admin ADDR] [--state-dir DIR]

Progressive delivery of a service's new version, with analysis, automatic promotion and
rollback (docs/rollouts.md):

  meshd rollout start SERVICE CANDIDATE [--stable V] [--strategy canary|blue-green|ab]
        [--step 10] [--max 50] [--interval 30s] [--iterations 5]
        [--match header:NAME=VALUE|cookie:NAME=VALUE]
        [--min-success 99] [--max-p99 500ms | --no-max-p99] [--min-requests 20]
        [--max-drop POINTS] [--max-p99-ratio R] [--failures 2] [--max-hold 5m]
        [--traffic RPS [--paths /,/items] | --traffic-when-idle] [--max-evidence-age 10m]
  meshd rollout list                       every rollout, active ones first
  meshd rollout status SERVICE [--watch]   the rollout with its interval-by-interval analysis
  meshd rollout pause|resume|promote|skip|abort|retry SERVICE
  meshd rollout set-weight SERVICE PERCENT

  meshd rollout start recommendations.shop v2 --step 20 --max 60 --interval 20s --traffic 10
  meshd rollout status recommendations.shop --watch
)";

std::string clockTime(std::int64_t unix)
{
    return unix ? localTime(unix * 1000, "%H:%M:%S") : "-";
}

void printStatus(const rollout::RolloutStatus &s, std::ostream &out)
{
    const auto &spec = s.spec;
    out << s.name() << ": " << control::rolloutStrategyName(spec.strategy) << " of "
        << spec.candidate << " (stable " << spec.stable << "), " << rollout::phaseName(s.phase)
        << ", candidate at " << s.weight << " %";
    if (s.attempt > 1)
        out << ", attempt " << s.attempt;
    out << "\n";
    if (!s.reason.empty())
        out << "  " << s.reason << "\n";
    out << "  started " << clockTime(s.startedUnix) << ", interval " << spec.interval.count()
        << " s, " << s.passedIntervals << " passed, " << s.failedIntervals << " of "
        << spec.analysis.failureThreshold << " failures\n\n";
    std::vector<std::vector<std::string>> rows {
        {"#", "END", "WEIGHT", "REQUESTS", "SUCCESS", "P99", "STABLE", "VERDICT", "WHY"}};
    for (const auto &i : s.intervals)
        rows.push_back({std::to_string(i.index), clockTime(i.endUnix), std::to_string(i.weight),
                        std::to_string(i.candidate.requests),
                        formatPercent(i.candidate.successRate / 100), formatMs(i.candidate.p99Ms),
                        formatPercent(i.stable.successRate / 100) + " " + formatMs(i.stable.p99Ms),
                        rollout::verdictName(i.verdict), i.summary});
    if (s.intervals.empty())
        out << "  no interval has ended yet\n";
    else
        printTable(out, rows);
}

void printList(const std::vector<rollout::RolloutStatus> &list, std::ostream &out)
{
    if (list.empty()) {
        out << "no rollouts yet (meshd rollout start SERVICE CANDIDATE)\n";
        return;
    }
    std::vector<std::vector<std::string>> rows {
        {"SERVICE", "STRATEGY", "STABLE", "CANDIDATE", "PHASE", "WEIGHT", "STARTED", "REASON"}};
    for (const auto &s : list)
        rows.push_back({s.name(), control::rolloutStrategyName(s.spec.strategy), s.spec.stable,
                        s.spec.candidate, rollout::phaseName(s.phase),
                        std::to_string(s.weight) + " %", clockTime(s.startedUnix), s.reason});
    printTable(out, rows);
}

int printResult(const Result<rollout::RolloutStatus> &status, bool json, const char *verb,
                std::ostream &out, std::ostream &err)
{
    if (!status) {
        err << "meshd rollout " << verb << ": " << status.error().message << "\n";
        return ExitFailed;
    }
    if (json)
        out << dumpJson(rollout::toJson(*status), 2) << "\n";
    else
        printStatus(*status, out);
    return ExitOk;
}

// Redraws the status every second until the rollout ends (or the output is not a terminal,
// where it prints one status per change instead).
int watch(client::AdminClient &client, const std::string &service, std::ostream &out,
          std::ostream &err)
{
    const bool terminal = ::isatty(STDOUT_FILENO) && &out == &std::cout;
    std::string last;
    for (;;) {
        const auto status = client.rollout(service);
        if (!status) {
            err << "meshd rollout status: " << status.error().message << "\n";
            return ExitFailed;
        }
        std::ostringstream text;
        printStatus(*status, text);
        if (text.str() != last) {
            out << (terminal ? "\033[H\033[2J" : "") << text.str()
                << (terminal ? "\n(Ctrl-C to stop watching; the rollout goes on)\n" : "\n")
                << std::flush;
            last = text.str();
        }
        if (!rollout::isActive(status->phase))
            return ExitOk;
        std::this_thread::sleep_for(std::chrono::seconds(1));
    }
}

int start(client::AdminClient &client, const ParsedArgs &args, std::ostream &out, std::ostream &err)
{
    const auto &words = args.positional();
    if (words.size() != 3)
        return usageError(err, "rollout",
                          "start takes SERVICE CANDIDATE: meshd rollout start "
                          "recommendations.shop v2");
    control::RolloutSpec spec;
    const auto dot = words[1].find('.');
    spec.service = words[1].substr(0, dot);
    spec.ns = dot == std::string::npos ? "" : words[1].substr(dot + 1);
    spec.stable.clear();
    spec.candidate = words[2];
    if (auto problem = readRolloutSpec(args, spec))
        return usageError(err, "rollout", *problem);
    // What the spec says on its own is checked here (exit 2); meshd checks the versions.
    auto alone = spec;
    if (alone.stable.empty())
        alone.stable = alone.candidate + "-stable";
    if (auto problem = control::rolloutSpecProblem(alone))
        return usageError(err, "rollout", *problem);
    return printResult(client.startRollout(spec), args.has("json"), "start", out, err);
}

int action(client::AdminClient &client, const ParsedArgs &args, rollout::Action what,
           std::ostream &out, std::ostream &err)
{
    const auto &words = args.positional();
    const bool setWeight = what == rollout::Action::SetWeight;
    if (words.size() != (setWeight ? 3u : 2u))
        return usageError(err, "rollout",
                          std::string(rollout::actionName(what)) + " takes SERVICE"
                              + (setWeight ? " PERCENT" : ""));
    std::optional<unsigned> weight;
    if (setWeight) {
        if (words[2].empty() || words[2].size() > 3
            || words[2].find_first_not_of("0123456789") != std::string::npos)
            return usageError(err, "rollout",
                              "set-weight takes a percentage like 20, not '" + words[2] + "'");
        weight = static_cast<unsigned>(std::stoul(words[2]));
    }
    return printResult(client.rolloutAction(words[1], what, weight), args.has("json"),
                       rollout::actionName(what), out, err);
}

int dispatch(client::AdminClient &client, const ParsedArgs &args, std::ostream &out,
             std::ostream &err)
{
    const auto &verb = args.positional().front();
    const bool json = args.has("json");
    if (verb == "start")
        return start(client, args, out, err);
    if (verb == "list") {
        const auto list = client.rollouts();
        if (!list) {
            err << "meshd rollout list: " << list.error().message << "\n";
            return ExitFailed;
        }
        if (json)
            out << dumpJson(rollout::toJson(*list), 2) << "\n";
        else
            printList(*list, out);
        return ExitOk;
    }
    if (verb == "status") {
        if (args.positional().size() != 2)
            return usageError(err, "rollout", "status takes SERVICE");
        if (args.has("watch") && !json)
            return watch(client, args.positional()[1], out, err);
        return printResult(client.rollout(args.positional()[1]), json, "status", out, err);
    }
    if (const auto what = rollout::actionFromName(verb))
        return action(client, args, *what, out, err);
    return usageError(err, "rollout", "unknown rollout verb '" + verb + "'");
}

} // namespace

int runRolloutVerb(const std::vector<std::string> &rest, std::ostream &out, std::ostream &err)
{
    auto flags = rolloutSpecFlags();
    for (const auto *name : {"admin", "state-dir"})
        flags.push_back({name});
    for (const auto *name : {"json", "watch", "help"})
        flags.push_back({name, false});
    auto args = parseArgs(rest, flags);
    if (!args)
        return usageError(err, "rollout", args.error().message);
    if (args->has("help") || args->positional().empty()) {
        (args->has("help") ? out : err) << RolloutHelp;
        return args->has("help") ? ExitOk : ExitUsage;
    }
    CommonFlags common;
    if (auto problem = readCommonFlags(*args, common))
        return usageError(err, "rollout", *problem);
    auto client = adminClient(common);
    if (!client) {
        err << "meshd rollout: " << client.error().message << "\n";
        return ExitFailed;
    }
    return dispatch(**client, *args, out, err);
}

} // namespace meshcore::cli
