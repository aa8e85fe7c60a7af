// The JSON of a RolloutStatus (rollout_json.h): the admin API's answers and the state file.
#include "rollout/rollout_json.h"

namespace meshcore::rollout {
namespace {

using nlohmann::json;

json figuresJson(const VersionFigures &f)
{
    return {{"requests", f.requests},
            {"failures", f.failures},
            {"success_rate", f.successRate},
            {"p99_ms", f.p99Ms}};
}

VersionFigures figuresFrom(const json &j)
{
    VersionFigures f;
    f.requests = j.at("requests").get<std::uint64_t>();
    f.failures = j.at("failures").get<std::uint64_t>();
    f.successRate = j.at("success_rate").get<double>();
    f.p99Ms = j.at("p99_ms").get<double>();
    return f;
}

json intervalJson(const IntervalRecord &i)
{
    json checks = json::array();
    for (const auto &c : i.checks)
        checks.push_back({{"name", c.name},
                          {"value", c.value},
                          {"threshold", c.threshold},
                          {"passed", c.passed},
                          {"text", c.text}});
    return {{"index", i.index},
            {"start_unix", i.startUnix},
            {"end_unix", i.endUnix},
            {"weight", i.weight},
            {"candidate", figuresJson(i.candidate)},
            {"stable", figuresJson(i.stable)},
            {"checks", checks},
            {"verdict", verdictName(i.verdict)},
            {"summary", i.summary}};
}

IntervalRecord intervalFrom(const json &j)
{
    IntervalRecord i;
    i.index = j.at("index").get<unsigned>();
    i.startUnix = j.at("start_unix").get<std::int64_t>();
    i.endUnix = j.at("end_unix").get<std::int64_t>();
    i.weight = j.at("weight").get<unsigned>();
    i.candidate = figuresFrom(j.at("candidate"));
    i.stable = figuresFrom(j.at("stable"));
    for (const auto &c : j.at("checks"))
        i.checks.push_back({c.at("name").get<std::string>(), c.at("value").get<double>(),
                            c.at("threshold").get<double>(), c.at("passed").get<bool>(),
                            c.at("text").get<std::string>()});
    i.verdict = verdictFromName(j.at("verdict").get<std::string>()).value_or(Verdict::Hold);
    i.summary = j.at("summary").get<std::string>();
    return i;
}

RolloutStatus statusFrom(const json &j)
{
    RolloutStatus s;
    auto spec = specFromJson(j.at("spec"), SpecJson::Lenient);
    if (!spec)
        throw std::invalid_argument(spec.error().message);
    if (auto problem = control::rolloutSpecProblem(*spec))
        throw std::invalid_argument("the rollout of " + spec->service + ": " + *problem);
    s.spec = *spec;
    const auto phase = phaseFromName(j.at("phase").get<std::string>());
    if (!phase)
        throw std::invalid_argument("unknown phase " + j.at("phase").dump());
    s.phase = *phase;
    s.reason = j.at("reason").get<std::string>();
    s.weight = j.at("weight").get<unsigned>();
    s.attempt = j.at("attempt").get<unsigned>();
    s.passedIntervals = j.at("passed_intervals").get<unsigned>();
    s.failedIntervals = j.at("failed_intervals").get<unsigned>();
    s.startedUnix = j.at("started_unix").get<std::int64_t>();
    s.intervalStartUnix = j.at("interval_start_unix").get<std::int64_t>();
    s.holdingSinceUnix = j.at("holding_since_unix").get<std::int64_t>();
    s.evidenceUnix = j.at("evidence_unix").get<std::int64_t>();
    s.finishedUnix = j.at("finished_unix").get<std::int64_t>();
    s.origin = j.at("origin").get<std::string>();
    for (const auto &i : j.at("intervals"))
        s.intervals.push_back(intervalFrom(i));
    for (const auto &t : j.at("transitions"))
        s.transitions.push_back(
            {t.at("unix").get<std::int64_t>(),
             phaseFromName(t.at("phase").get<std::string>()).value_or(Phase::Progressing),
             t.at("weight").get<unsigned>(), t.at("message").get<std::string>()});
    return s;
}

template <typename T, typename Parse> Result<T> parsed(Parse parse)
{
    try {
        return parse();
    } catch (const std::exception &e) {
        return makeError(ErrorCode::Protocol, std::string("unexpected rollout JSON: ") + e.what());
    }
}

} // namespace

json toJson(const RolloutStatus &s)
{
    json intervals = json::array();
    for (const auto &i : s.intervals)
        intervals.push_back(intervalJson(i));
    json transitions = json::array();
    for (const auto &t : s.transitions)
        transitions.push_back({{"unix", t.unix},
                               {"phase", phaseName(t.phase)},
                               {"weight", t.weight},
                               {"message", t.message}});
    return {{"name", s.name()},
            {"spec", toJson(s.spec)},
            {"phase", phaseName(s.phase)},
            {"active", isActive(s.phase)},
            {"reason", s.reason},
            {"weight", s.weight},
            {"attempt", s.attempt},
            {"passed_intervals", s.passedIntervals},
            {"failed_intervals", s.failedIntervals},
            {"started_unix", s.startedUnix},
            {"interval_start_unix", s.intervalStartUnix},
            {"holding_since_unix", s.holdingSinceUnix},
            {"evidence_unix", s.evidenceUnix},
            {"finished_unix", s.finishedUnix},
            {"origin", s.origin},
            {"intervals", intervals},
            {"transitions", transitions}};
}

Result<RolloutStatus> statusFromJson(const json &json)
{
    return parsed<RolloutStatus>([&] { return statusFrom(json); });
}

json toJson(const std::vector<RolloutStatus> &rollouts)
{
    json list = json::array();
    for (const auto &r : rollouts)
        list.push_back(toJson(r));
    return {{"rollouts", list}};
}

Result<std::vector<RolloutStatus>> statusesFromJson(const json &json)
{
    return parsed<std::vector<RolloutStatus>>([&] {
        std::vector<RolloutStatus> out;
        for (const auto &r : json.at("rollouts"))
            out.push_back(statusFrom(r));
        return out;
    });
}

} // namespace meshcore::rollout
