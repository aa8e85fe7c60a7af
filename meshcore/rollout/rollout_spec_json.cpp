// The JSON of a RolloutSpec (rollout_json.h): written by meshd and the client, read strictly
// from what a user sends.
#include <chrono>
#include <initializer_list>
#include <set>

#include "rollout/rollout_json.h"

namespace meshcore::rollout {
namespace {

using nlohmann::json;

// Reads the fields of one JSON object, refusing unknown ones and wrong types by name.
class Fields {
public:
    Fields(const json &object, std::string where, std::initializer_list<const char *> known,
           SpecJson mode)
        : m_object(object)
        , m_where(std::move(where))
    {
        if (!object.is_object()) {
            m_problem = m_where + " must be a JSON object";
            return;
        }
        if (mode == SpecJson::Lenient)
            return;
        const std::set<std::string> names(known.begin(), known.end());
        for (const auto &[key, value] : object.items())
            if (!names.contains(key)) {
                std::string list;
                for (const auto *name : known)
                    list += (list.empty() ? "" : ", ") + std::string(name);
                m_problem = "unknown field \"";
                m_problem += key;
                m_problem += "\" in " + m_where + " (known: " + list + ")";
                return;
            }
    }

    const std::string &problem() const { return m_problem; }
    const json *find(const char *key) const
    {
        if (!m_problem.empty())
            return nullptr;
        const auto it = m_object.find(key);
        return it == m_object.end() || it->is_null() ? nullptr : &*it;
    }

    void text(const char *key, std::string &out)
    {
        if (const auto *value = find(key)) {
            if (value->is_string())
                out = value->get<std::string>();
            else
                fail(key, "text");
        }
    }
    void whole(const char *key, unsigned &out, unsigned most = 1000000)
    {
        if (const auto *value = find(key)) {
            if (value->is_number_integer() && value->get<long long>() >= 0
                && value->get<long long>() <= most)
                out = value->get<unsigned>();
            else
                fail(key, "a whole number from 0 to " + std::to_string(most));
        }
    }
    void seconds(const char *key, std::chrono::seconds &out)
    {
        unsigned value = static_cast<unsigned>(out.count());
        whole(key, value, 30 * 24 * 3600);
        out = std::chrono::seconds(value);
    }
    void number(const char *key, double &out)
    {
        if (const auto *value = find(key)) {
            if (value->is_number())
                out = value->get<double>();
            else
                fail(key, "a number");
        }
    }
    // A field that may be null (absent): the check is off.
    void optionalNumber(const char *key, std::optional<double> &out)
    {
        if (m_problem.empty() && m_object.contains(key) && m_object[key].is_null()) {
            out.reset();
            return;
        }
        if (const auto *value = find(key)) {
            if (value->is_number())
                out = value->get<double>();
            else
                fail(key, "a number or null");
        }
    }
    void boolean(const char *key, bool &out)
    {
        if (const auto *value = find(key)) {
            if (value->is_boolean())
                out = value->get<bool>();
            else
                fail(key, "true or false");
        }
    }
    void fail(const char *key, const std::string &what)
    {
        if (m_problem.empty())
            m_problem = "\"" + std::string(key) + "\" in " + m_where + " must be " + what;
    }
    void setProblem(std::string problem)
    {
        if (m_problem.empty())
            m_problem = std::move(problem);
    }

private:
    const json &m_object;
    std::string m_where;
    std::string m_problem;
};

std::string readMatch(const json &value, std::optional<control::RequestMatch> &out, SpecJson mode)
{
    Fields fields(value, "\"match\"", {"header", "cookie", "value"}, mode);
    control::RequestMatch match;
    std::string header;
    std::string cookie;
    fields.text("header", header);
    fields.text("cookie", cookie);
    fields.text("value", match.value);
    if (fields.problem().empty() && header.empty() == cookie.empty())
        fields.setProblem("\"match\" names a \"header\" or a \"cookie\" (one of them)");
    match.kind = header.empty() ? control::RequestMatch::Kind::Cookie
                                : control::RequestMatch::Kind::Header;
    match.name = header.empty() ? cookie : header;
    out = match;
    return fields.problem();
}

std::string readAnalysis(const json &value, control::AnalysisConfig &a, SpecJson mode)
{
    Fields fields(value, "\"analysis\"",
                  {"min_success_rate", "max_p99_ms", "min_requests", "max_success_rate_drop",
                   "max_p99_ratio", "failure_threshold", "max_hold_seconds"},
                  mode);
    fields.number("min_success_rate", a.minSuccessRate);
    fields.optionalNumber("max_p99_ms", a.maxP99Ms);
    fields.whole("min_requests", a.minRequests);
    fields.optionalNumber("max_success_rate_drop", a.maxSuccessRateDrop);
    fields.optionalNumber("max_p99_ratio", a.maxP99Ratio);
    fields.whole("failure_threshold", a.failureThreshold, 1000);
    fields.seconds("max_hold_seconds", a.maxHold);
    return fields.problem();
}

std::string readTraffic(const json &value, control::AnalysisTrafficConfig &t, SpecJson mode)
{
    Fields fields(value, "\"analysis_traffic\"", {"enabled", "when_idle", "rps", "paths"}, mode);
    fields.boolean("enabled", t.enabled);
    fields.boolean("when_idle", t.whenIdle);
    fields.number("rps", t.rps);
    if (const auto *paths = fields.find("paths")) {
        if (!paths->is_array() || paths->size() > 64)
            fields.fail("paths", "a list of at most 64 paths");
        else {
            t.paths.clear();
            for (const auto &path : *paths) {
                if (!path.is_string()) {
                    fields.fail("paths", "a list of text");
                    break;
                }
                t.paths.push_back(path.get<std::string>());
            }
        }
    }
    return fields.problem();
}

} // namespace

json toJson(const control::RolloutSpec &spec)
{
    const auto &a = spec.analysis;
    const auto optional = [](const std::optional<double> &v) { return v ? json(*v) : json(); };
    json out = {{"service", spec.service},
                {"namespace", spec.ns},
                {"stable", spec.stable},
                {"candidate", spec.candidate},
                {"strategy", control::rolloutStrategyName(spec.strategy)},
                {"step_weight", spec.stepWeight},
                {"max_weight", spec.maxWeight},
                {"interval_seconds", spec.interval.count()},
                {"iterations", spec.iterations},
                {"match", nullptr},
                {"analysis",
                 {{"min_success_rate", a.minSuccessRate},
                  {"max_p99_ms", optional(a.maxP99Ms)},
                  {"min_requests", a.minRequests},
                  {"max_success_rate_drop", optional(a.maxSuccessRateDrop)},
                  {"max_p99_ratio", optional(a.maxP99Ratio)},
                  {"failure_threshold", a.failureThreshold},
                  {"max_hold_seconds", a.maxHold.count()}}},
                {"analysis_traffic",
                 {{"enabled", spec.traffic.enabled},
                  {"when_idle", spec.traffic.whenIdle},
                  {"rps", spec.traffic.rps},
                  {"paths", spec.traffic.paths}}},
                {"max_evidence_age_seconds", spec.maxEvidenceAge.count()}};
    if (spec.match) {
        const bool header = spec.match->kind == control::RequestMatch::Kind::Header;
        out["match"]
            = {{header ? "header" : "cookie", spec.match->name}, {"value", spec.match->value}};
    }
    return out;
}

Result<control::RolloutSpec> specFromJson(const json &value, SpecJson mode)
{
    Fields fields(value, "the rollout",
                  {"service", "namespace", "stable", "candidate", "strategy", "step_weight",
                   "max_weight", "interval_seconds", "iterations", "match", "analysis",
                   "analysis_traffic", "max_evidence_age_seconds"},
                  mode);
    control::RolloutSpec spec;
    spec.ns.clear(); // the caller resolves the service (and its namespace)
    fields.text("service", spec.service);
    fields.text("namespace", spec.ns);
    fields.text("stable", spec.stable);
    fields.text("candidate", spec.candidate);
    std::string strategy = "canary";
    fields.text("strategy", strategy);
    if (const auto parsed = control::rolloutStrategyFromName(strategy))
        spec.strategy = *parsed;
    else
        fields.fail("strategy", "\"canary\", \"blue-green\" or \"ab\"");
    fields.whole("step_weight", spec.stepWeight, 100);
    fields.whole("max_weight", spec.maxWeight, 100);
    fields.seconds("interval_seconds", spec.interval);
    fields.whole("iterations", spec.iterations, 1000);
    fields.seconds("max_evidence_age_seconds", spec.maxEvidenceAge);
    std::string problem = fields.problem();
    if (const auto *match = fields.find("match"); problem.empty() && match)
        problem = readMatch(*match, spec.match, mode);
    if (const auto *analysis = fields.find("analysis"); problem.empty() && analysis)
        problem = readAnalysis(*analysis, spec.analysis, mode);
    if (const auto *traffic = fields.find("analysis_traffic"); problem.empty() && traffic)
        problem = readTraffic(*traffic, spec.traffic, mode);
    if (problem.empty() && (spec.service.empty() || spec.candidate.empty()))
        problem = "a rollout needs at least a \"service\" and a \"candidate\" version";
    if (!problem.empty())
        return makeError(ErrorCode::InvalidArgument, problem);
    return spec;
}

} // namespace meshcore::rollout
