#include "rollout/rollout_controller.h"

#include <algorithm>
#include <map>
#include <system_error>

#include "core/json_dump.h"
#include "core/service_key.h"
#include "core/state_dir.h"
#include "rollout/rollout_json.h"

namespace meshcore::rollout {
namespace {

constexpr auto SaveEvery = std::chrono::seconds(10);

std::string versionList(const std::vector<control::BackendWeight> &split)
{
    std::string list;
    for (const auto &backend : split)
        list += (list.empty() ? "" : ", ") + backend.version;
    return list;
}

bool hasVersion(const std::vector<control::BackendWeight> &split, const std::string &version)
{
    return std::any_of(split.begin(), split.end(),
                       [&](const auto &backend) { return backend.version == version; });
}

} // namespace

RolloutController::RolloutController(TrafficControl &traffic, const Clock &clock,
                                     std::filesystem::path stateFile, EventSink events)
    : m_traffic(traffic)
    , m_clock(clock)
    , m_stateFile(std::move(stateFile))
    , m_events(std::move(events))
{
}

Result<void> RolloutController::resolveVersions(control::RolloutSpec &spec) const
{
    auto split = m_traffic.split(spec);
    if (!split)
        return tl::unexpected(split.error());
    const auto name = qualifiedName(spec.service, spec.ns);
    if (spec.stable.empty()) {
        const control::BackendWeight *most = nullptr;
        for (const auto &backend : *split)
            if (backend.version != spec.candidate && (!most || backend.weight > most->weight))
                most = &backend;
        if (most)
            spec.stable = most->version;
    }
    for (const auto *version : {&spec.stable, &spec.candidate})
        if (!hasVersion(*split, *version))
            return makeError(ErrorCode::NotFound,
                             name + " has no version \"" + *version
                                 + "\" (its versions: " + versionList(*split) + ")");
    return {};
}

Result<RolloutStatus> RolloutController::start(control::RolloutSpec spec, std::string origin)
{
    if (auto resolved = resolveVersions(spec); !resolved)
        return tl::unexpected(resolved.error());
    if (auto problem = control::rolloutSpecProblem(spec))
        return makeError(ErrorCode::InvalidArgument, *problem);
    if (const auto *running = active(spec.service, spec.ns))
        return makeError(ErrorCode::Busy,
                         qualifiedName(spec.service, spec.ns) + " already has a rollout ("
                             + phaseName(running->status().phase) + ", "
                             + running->status().spec.candidate + " at "
                             + std::to_string(running->status().weight)
                             + " %); abort it or wait until it ends");
    auto rollout
        = std::make_unique<Rollout>(Rollout::fresh(spec, m_clock.now(), std::move(origin)));
    rollout->begin(m_traffic, m_clock.now());
    m_rollouts.push_back(std::move(rollout));
    report(*m_rollouts.back());
    trimHistory();
    save();
    return m_rollouts.back()->status();
}

Result<RolloutStatus> RolloutController::act(const std::string &service, const std::string &ns,
                                             Action action, std::optional<unsigned> weight)
{
    // Retry applies to the latest finished one; everything else to the active one.
    auto *rollout = action == Action::Retry ? latest(service, ns) : active(service, ns);
    if (!rollout) {
        const auto name = qualifiedName(service, ns);
        return makeError(ErrorCode::NotFound,
                         latest(service, ns)
                             ? name + " has no active rollout (its last one has ended)"
                             : name + " has no rollout");
    }
    if (action == Action::Retry && active(service, ns))
        return makeError(ErrorCode::Busy,
                         qualifiedName(service, ns)
                             + " has an active rollout; only an ended one can be "
                               "retried");
    auto done = rollout->act(action, m_traffic, m_clock.now(), weight);
    if (report(*rollout)) // a failed promote may still have paused it
        save();
    if (!done)
        return tl::unexpected(done.error());
    return rollout->status();
}

std::vector<RolloutStatus> RolloutController::list() const
{
    std::vector<RolloutStatus> out;
    for (const bool wantActive : {true, false})
        for (auto it = m_rollouts.rbegin(); it != m_rollouts.rend(); ++it)
            if (isActive((*it)->status().phase) == wantActive)
                out.push_back((*it)->status());
    return out;
}

std::optional<RolloutStatus> RolloutController::find(const std::string &service,
                                                     const std::string &ns) const
{
    if (const auto *rollout = active(service, ns))
        return rollout->status();
    if (const auto *rollout = latest(service, ns))
        return rollout->status();
    return std::nullopt;
}

bool RolloutController::hasActive(const std::string &service, const std::string &ns) const
{
    return active(service, ns) != nullptr;
}

Rollout *RolloutController::active(const std::string &service, const std::string &ns) const
{
    for (const auto &rollout : m_rollouts)
        if (rollout->status().spec.service == service && rollout->status().spec.ns == ns
            && isActive(rollout->status().phase))
            return rollout.get();
    return nullptr;
}

Rollout *RolloutController::latest(const std::string &service, const std::string &ns) const
{
    for (auto it = m_rollouts.rbegin(); it != m_rollouts.rend(); ++it)
        if ((*it)->status().spec.service == service && (*it)->status().spec.ns == ns)
            return it->get();
    return nullptr;
}

void RolloutController::splitChangedByHand(const std::string &service, const std::string &ns,
                                           const std::string &how)
{
    if (auto *rollout = active(service, ns)) {
        rollout->splitChangedByHand(m_traffic, m_clock.now(), how);
        report(*rollout);
        save();
    }
}

void RolloutController::applyConfig(const std::vector<control::RolloutSpec> &specs)
{
    m_pending.clear();
    for (const auto &spec : specs)
        if (std::find(m_configApplied.begin(), m_configApplied.end(), spec)
            == m_configApplied.end())
            m_pending.push_back({spec, m_clock.now()});
    startPending();
}

void RolloutController::startPending()
{
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        const auto &spec = it->spec;
        const auto name = qualifiedName(spec.service, spec.ns);
        if (active(spec.service, spec.ns)) { // it starts once that one has ended
            if (!it->said)
                m_events(name,
                         "the rollout in the configuration waits: " + name
                             + " has an active rollout");
            it->said = true;
            it->since = m_clock.now();
            ++it;
            continue;
        }
        if (!m_traffic.serving(spec) && m_clock.now() - it->since < ConfigStartWait) {
            ++it;
            continue;
        }
        if (auto started = start(spec, "config"); !started)
            m_events(name,
                     "the rollout in the configuration could not start: "
                         + started.error().message);
        m_configApplied.erase(std::remove_if(m_configApplied.begin(), m_configApplied.end(),
                                             [&](const auto &s) {
                                                 return s.service == spec.service
                                                     && s.ns == spec.ns;
                                             }),
                              m_configApplied.end());
        m_configApplied.push_back(spec);
        it = m_pending.erase(it);
        save();
    }
}

void RolloutController::tick()
{
    startPending();
    bool changed = false;
    for (const auto &rollout : m_rollouts) {
        if (!isActive(rollout->status().phase)) {
            std::erase(m_warming, rollout.get()); // ended while warming
            continue;
        }
        warming(*rollout);
        const auto intervals = rollout->status().intervals.size();
        rollout->tick(m_traffic, m_clock.now());
        changed |= rollout->status().intervals.size() != intervals;
        changed |= report(*rollout);
    }
    const bool anyActive = std::any_of(m_rollouts.begin(), m_rollouts.end(),
                                       [](const auto &r) { return isActive(r->status().phase); });
    if (changed || (anyActive && m_clock.now() - m_savedAt >= SaveEvery))
        save();
}

bool RolloutController::warming(Rollout &rollout)
{
    const auto it = std::find(m_warming.begin(), m_warming.end(), &rollout);
    if (it == m_warming.end())
        return false;
    const auto &spec = rollout.status().spec;
    // Until they serve, the interval keeps starting over (the rest of the tick goes on).
    rollout.restartInterval(m_traffic, m_clock.now());
    if (m_traffic.serving(spec) || m_clock.now() - m_loadedAt >= ConfigStartWait)
        m_warming.erase(it);
    return true;
}

bool RolloutController::report(Rollout &rollout)
{
    const auto transitions = rollout.takeNewTransitions();
    for (const auto &transition : transitions)
        m_events(rollout.status().name(), transition.message);
    return !transitions.empty();
}

void RolloutController::trimHistory()
{
    std::map<std::string, std::size_t> seen;
    for (auto it = m_rollouts.rbegin(); it != m_rollouts.rend();) {
        const auto &status = (*it)->status();
        if (!isActive(status.phase) && ++seen[status.name()] > MaxHistoryPerService)
            it = decltype(it)(m_rollouts.erase(std::next(it).base()));
        else
            ++it;
    }
}

} // namespace meshcore::rollout
