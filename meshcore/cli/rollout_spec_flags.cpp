#include "cli/rollout_spec_flags.h"

#include <charconv>
#include <cmath>

#include "core/duration.h"

namespace meshcore::cli {
namespace {

std::optional<double> numberOf(const std::string &text)
{
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

std::optional<unsigned> wholeOf(const std::string &text)
{
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

// Reads one flag into `out` with `parse`, or says what it takes.
template <typename T, typename Parse>
std::optional<std::string> read(const ParsedArgs &args, const char *flag, const char *takes,
                                Parse parse, T &out)
{
    const auto text = args.value(flag);
    if (!text)
        return std::nullopt;
    const auto parsed = parse(*text);
    if (!parsed)
        return std::string("--") + flag + " takes " + takes + ", not '" + *text + "'";
    out = *parsed;
    return std::nullopt;
}

std::optional<std::chrono::seconds> secondsOf(const std::string &text)
{
    const auto parsed = parseDuration(text);
    if (!parsed || parsed->count() < 1000 || parsed->count() % 1000 != 0)
        return std::nullopt;
    return std::chrono::duration_cast<std::chrono::seconds>(*parsed);
}

std::optional<double> millisOf(const std::string &text)
{
    const auto parsed = parseDuration(text);
    if (!parsed || parsed->count() <= 0)
        return std::nullopt;
    return static_cast<double>(parsed->count());
}

// "header:NAME=VALUE" or "cookie:NAME=VALUE".
std::optional<control::RequestMatch> matchOf(const std::string &text)
{
    const auto colon = text.find(':');
    const auto equals = text.find('=', colon == std::string::npos ? 0 : colon);
    if (colon == std::string::npos || equals == std::string::npos || equals == colon + 1)
        return std::nullopt;
    const auto kind = text.substr(0, colon);
    if (kind != "header" && kind != "cookie")
        return std::nullopt;
    control::RequestMatch match;
    match.kind = kind == "header" ? control::RequestMatch::Kind::Header
                                  : control::RequestMatch::Kind::Cookie;
    match.name = text.substr(colon + 1, equals - colon - 1);
    match.value = text.substr(equals + 1);
    return match;
}

std::optional<std::vector<std::string>> pathsOf(const std::string &text)
{
    std::vector<std::string> paths;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = text.find(',', start);
        paths.push_back(text.substr(start, comma - start));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return paths;
}

std::optional<std::string> readAnalysis(const ParsedArgs &args, control::AnalysisConfig &a)
{
    std::optional<std::string> problem;
    const auto first = [&](std::optional<std::string> p) {
        if (!problem)
            problem = std::move(p);
    };
    first(read(args, "min-success", "a percentage like 99", numberOf, a.minSuccessRate));
    first(read(args, "max-p99", "a duration like 500ms", millisOf, a.maxP99Ms));
    first(read(args, "min-requests", "a whole number", wholeOf, a.minRequests));
    first(read(args, "max-drop", "percentage points like 1", numberOf, a.maxSuccessRateDrop));
    first(read(args, "max-p99-ratio", "a factor like 1.5", numberOf, a.maxP99Ratio));
    first(read(args, "failures", "a whole number", wholeOf, a.failureThreshold));
    first(read(args, "max-hold", "a whole number of seconds like 5m", secondsOf, a.maxHold));
    if (args.has("no-max-p99"))
        a.maxP99Ms.reset();
    return problem;
}

} // namespace

std::vector<FlagSpec> rolloutSpecFlags()
{
    return {{"stable"},
            {"strategy"},
            {"step"},
            {"max"},
            {"interval"},
            {"iterations"},
            {"match"},
            {"min-success"},
            {"max-p99"},
            {"no-max-p99", false},
            {"min-requests"},
            {"max-drop"},
            {"max-p99-ratio"},
            {"failures"},
            {"max-hold"},
            {"traffic"},
            {"traffic-when-idle", false},
            {"paths"},
            {"max-evidence-age"}};
}

std::optional<std::string> readRolloutSpec(const ParsedArgs &args, control::RolloutSpec &spec)
{
    std::optional<std::string> problem;
    const auto first = [&](std::optional<std::string> p) {
        if (!problem)
            problem = std::move(p);
    };
    if (const auto stable = args.value("stable"))
        spec.stable = *stable;
    first(read(args, "strategy", "canary, blue-green or ab", control::rolloutStrategyFromName,
               spec.strategy));
    first(read(args, "step", "a percentage like 10", wholeOf, spec.stepWeight));
    first(read(args, "max", "a percentage like 50", wholeOf, spec.maxWeight));
    first(read(args, "interval", "a whole number of seconds like 30s", secondsOf, spec.interval));
    first(read(args, "iterations", "a whole number", wholeOf, spec.iterations));
    first(read(args, "match", "header:NAME=VALUE or cookie:NAME=VALUE", matchOf, spec.match));
    first(readAnalysis(args, spec.analysis));
    first(read(args, "traffic", "requests per second like 10", numberOf, spec.traffic.rps));
    first(read(args, "paths", "paths like /,/items", pathsOf, spec.traffic.paths));
    first(read(args, "max-evidence-age", "a whole number of seconds like 10m", secondsOf,
               spec.maxEvidenceAge));
    spec.traffic.enabled = args.has("traffic") || args.has("traffic-when-idle");
    spec.traffic.whenIdle = args.has("traffic-when-idle");
    // A blue/green candidate gets only analysis traffic: it is on unless asked otherwise.
    if (spec.strategy == control::RolloutStrategy::BlueGreen)
        spec.traffic.enabled = true;
    return problem;
}

} // namespace meshcore::cli
