#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "control/mesh_config.h"
#include "core/clock.h"
#include "core/result.h"
#include "policy/failure_accrual.h"
#include "policy/peak_ewma.h"
#include "policy/weighted_split.h"

namespace meshcore::policy {

// A replica of the destination, as the policy sees it.
struct ReplicaRef {
    std::string pod;
    std::string version;
};

// What the policy knows about one replica right now (for metrics and the admin API).
struct ReplicaStatus {
    std::string pod;
    std::string version;
    FailureAccrual::State state = FailureAccrual::State::Ready;
    double latencyEwmaMs = 0;
    unsigned pending = 0;
    unsigned ejections = 0;
};

// The traffic policy of one destination service, shared by every caller in this meshd: the split
// picks a version, power of two choices over peak-EWMA picks one of its replicas that the
// breakers admit. (The retry budget is apart: SharedRetryBudget in retry_budget.h.) Thread-safe:
// one mutex, short critical sections.
class DestinationPolicy {
public:
    // `replicas` in the order the data plane numbers them.
    DestinationPolicy(const control::ServiceConfig &service, std::vector<ReplicaRef> replicas,
                      const Clock &clock);

    // A replica for one attempt, or nothing when every replica of every weighted version is out
    // (the caller answers 503 at once). Each pick() must be followed by one finished().
    // With a `pinned` version (control::VersionPin), a replica of that version only, whatever
    // the split; a pin to a version the service no longer has is ignored.
    // Replicas in `avoid` (ones an earlier attempt failed on) are left out while another of the
    // version is admissible.
    std::optional<std::size_t> pick(std::string_view pinned = {},
                                    const std::vector<std::size_t> &avoid = {});
    void finished(std::size_t replica, bool success, std::chrono::nanoseconds rtt);
    // A pick whose request ended without an outcome that says anything about the replica.
    void abandoned(std::size_t replica);

    // Replaces the split (versions not named get 0). Refused, leaving the split in force, when a
    // version is unknown or named twice, or the weights add up to 0.
    Result<void> setSplit(const std::vector<control::BackendWeight> &split);
    // Every version with its weight.
    std::vector<control::BackendWeight> split() const;

    // Replaces the pins (requests matching one go to its version). Read on every request:
    // pins() is a snapshot, null when there are none.
    void setPins(std::vector<control::VersionPin> pins);
    std::shared_ptr<const std::vector<control::VersionPin>> pins() const;

    std::vector<ReplicaStatus> replicas() const;
    const std::string &service() const { return m_service; }
    const std::string &ns() const { return m_ns; }

private:
    struct Replica {
        ReplicaRef ref;
        std::size_t version = 0;
        PeakEwma latency;
        FailureAccrual breaker;
        unsigned pending = 0;
    };
    double random01();
    double cost(const Replica &replica, TimePoint now) const;

    const std::string m_service;
    const std::string m_ns;
    const Clock &m_clock;
    const double m_defaultRttMs;
    std::vector<std::string> m_versions;
    mutable std::mutex m_mutex;
    std::vector<Replica> m_replicas;
    WeightedSplit m_split;
    std::atomic<std::shared_ptr<const std::vector<control::VersionPin>>>
        m_pins; // no policy mutex per request
    std::mt19937_64 m_random {std::random_device {}()};
};

} // namespace meshcore::policy
