#include "policy/destination_policy.h"

#include "core/service_key.h"
#include <algorithm>
#include <iterator>

#include <set>

namespace meshcore::policy {
namespace {

std::vector<unsigned> weightsOf(const std::vector<control::BackendWeight> &split)
{
    std::vector<unsigned> weights;
    weights.reserve(split.size());
    for (const auto &backend : split)
        weights.push_back(backend.weight);
    return weights;
}

} // namespace

DestinationPolicy::DestinationPolicy(const control::ServiceConfig &service,
                                     std::vector<ReplicaRef> replicas, const Clock &clock)
    : m_service(service.name)
    , m_ns(service.ns)
    , m_clock(clock)
    , m_defaultRttMs(static_cast<double>(service.balancer.defaultRtt.count()))
    , m_split(weightsOf(service.effectiveSplit()))
{
    for (const auto &version : service.versions)
        m_versions.push_back(version.name);
    const auto now = m_clock.now();
    for (auto &ref : replicas) {
        std::size_t version = 0;
        while (version < m_versions.size() && m_versions[version] != ref.version)
            ++version;
        m_replicas.push_back(
            Replica {std::move(ref), version,
                     PeakEwma(service.balancer.defaultRtt, service.balancer.decay, now),
                     FailureAccrual(service.failureAccrual)});
    }
}

double DestinationPolicy::random01()
{
    return std::uniform_real_distribution<double>(0.0, 1.0)(m_random);
}

std::optional<std::size_t> DestinationPolicy::pick(std::string_view pinned,
                                                   const std::vector<std::size_t> &avoid)
{
    std::lock_guard lock(m_mutex);
    const auto now = m_clock.now();
    const auto avoided
        = [&](std::size_t i) { return std::find(avoid.begin(), avoid.end(), i) != avoid.end(); };
    // A version is usable with an admissible replica; a retry prefers one not tried yet.
    bool fresh = !avoid.empty();
    const auto usable = [&](std::size_t v) {
        for (std::size_t i = 0; i < m_replicas.size(); ++i)
            if (m_replicas[i].version == v && m_replicas[i].breaker.admissible(now)
                && !(fresh && avoided(i)))
                return true;
        return false;
    };
    std::optional<std::size_t> version;
    const auto pin = std::find(m_versions.begin(), m_versions.end(), pinned);
    const bool isPinned = !pinned.empty() && pin != m_versions.end();
    for (int round = 0; round < 2 && !version; ++round, fresh = false) {
        if (isPinned) {
            const auto v = static_cast<std::size_t>(pin - m_versions.begin());
            if (usable(v))
                version = v;
        } else {
            version = m_split.next(usable);
        }
        if (avoid.empty())
            break;
    }
    if (!version)
        return std::nullopt;
    std::vector<std::size_t> candidates;
    for (std::size_t i = 0; i < m_replicas.size(); ++i)
        if (m_replicas[i].version == *version && m_replicas[i].breaker.admissible(now)
            && !(!avoid.empty() && avoided(i)))
            candidates.push_back(i);
    if (candidates.empty()) // every admissible one of the version was tried: any of them
        for (std::size_t i = 0; i < m_replicas.size(); ++i)
            if (m_replicas[i].version == *version && m_replicas[i].breaker.admissible(now))
                candidates.push_back(i);
    std::size_t chosen = candidates.front();
    if (candidates.size() > 1) {
        // Power of two choices: two distinct candidates at random, the cheaper one wins.
        std::uniform_int_distribution<std::size_t> any(0, candidates.size() - 1);
        const std::size_t a = any(m_random);
        std::size_t b = any(m_random);
        while (b == a)
            b = any(m_random);
        const auto &ra = m_replicas[candidates[a]];
        const auto &rb = m_replicas[candidates[b]];
        chosen = cost(ra, now) <= cost(rb, now) ? candidates[a] : candidates[b];
    }
    auto &replica = m_replicas[chosen];
    replica.breaker.admit(now);
    ++replica.pending;
    return chosen;
}

void DestinationPolicy::finished(std::size_t index, bool success, std::chrono::nanoseconds rtt)
{
    std::lock_guard lock(m_mutex);
    auto &replica = m_replicas.at(index);
    const auto now = m_clock.now();
    if (replica.pending > 0)
        --replica.pending;
    replica.latency.observe(rtt, now);
    if (success)
        replica.breaker.succeeded();
    else
        replica.breaker.failed(now, random01());
}

void DestinationPolicy::setPins(std::vector<control::VersionPin> pins)
{
    m_pins.store(pins.empty()
                     ? nullptr
                     : std::make_shared<const std::vector<control::VersionPin>>(std::move(pins)));
}

std::shared_ptr<const std::vector<control::VersionPin>> DestinationPolicy::pins() const
{
    return m_pins.load();
}

double DestinationPolicy::cost(const Replica &replica, TimePoint now) const
{
    // A replica with requests in flight whose estimate has decayed to nothing (it has answered
    // nothing for minutes: hung?) must not look free (Finagle's and Tower's rule).
    if (replica.pending > 0 && replica.latency.estimateMs(now) < 0.001)
        return m_defaultRttMs * (replica.pending + 1);
    return replica.latency.cost(now, replica.pending);
}

void DestinationPolicy::abandoned(std::size_t index)
{
    std::lock_guard lock(m_mutex);
    auto &replica = m_replicas.at(index);
    if (replica.pending > 0)
        --replica.pending;
    replica.breaker.abandoned();
}

Result<void> DestinationPolicy::setSplit(const std::vector<control::BackendWeight> &split)
{
    std::vector<unsigned> weights(m_versions.size(), 0);
    std::set<std::string> named;
    unsigned long long total = 0;
    for (const auto &backend : split) {
        std::size_t v = 0;
        while (v < m_versions.size() && m_versions[v] != backend.version)
            ++v;
        if (v == m_versions.size()) {
            std::string known;
            for (const auto &name : m_versions)
                known += (known.empty() ? "" : ", ") + name;
            return makeError(ErrorCode::InvalidArgument,
                             "service '" + qualifiedName(m_service, m_ns) + "' has no version '"
                                 + backend.version + "' (it has: " + known + ")");
        }
        if (!named.insert(backend.version).second)
            return makeError(ErrorCode::InvalidArgument,
                             "version '" + backend.version + "' is named twice");
        weights[v] = backend.weight;
        total += backend.weight;
    }
    if (total == 0)
        return makeError(ErrorCode::InvalidArgument,
                         "the weights add up to 0: nothing would receive traffic");
    std::lock_guard lock(m_mutex);
    m_split.setWeights(std::move(weights));
    return {};
}

std::vector<control::BackendWeight> DestinationPolicy::split() const
{
    std::lock_guard lock(m_mutex);
    std::vector<control::BackendWeight> out;
    for (std::size_t v = 0; v < m_versions.size(); ++v)
        out.push_back({m_versions[v], m_split.weights()[v]});
    return out;
}

std::vector<ReplicaStatus> DestinationPolicy::replicas() const
{
    std::lock_guard lock(m_mutex);
    const auto now = m_clock.now();
    std::vector<ReplicaStatus> out;
    for (const auto &replica : m_replicas) {
        auto state = replica.breaker.state();
        if (state == FailureAccrual::State::Ejected && replica.breaker.admissible(now))
            state = FailureAccrual::State::Probing; // due for its probe
        out.push_back({replica.ref.pod, replica.ref.version, state, replica.latency.estimateMs(now),
                       replica.pending, replica.breaker.ejections()});
    }
    return out;
}

} // namespace meshcore::policy
