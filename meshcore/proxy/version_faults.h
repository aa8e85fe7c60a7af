#pragma once

// Faults set at run time on one version of a service (through the admin API), so a demo or a
// test can break a rollout's candidate and watch it roll back. The inbound proxy of every replica
// of that version applies them: to its callers the version itself is failing. Runtime state
// only: never written to disk, gone when meshd stops.

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "control/policy_config.h"
#include "proxy/chance.h"

namespace meshcore::proxy {

// The longest delay a runtime fault may add (the inbound proxy waits at most 300 s for its
// workload; a demo needs seconds).
inline constexpr control::Millis MaxFaultDelay {60000};

struct VersionKey {
    std::string service;
    std::string ns;
    std::string version;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const VersionKey &) const = default;
};

// One version's fault switch. Thread-safe: set from the control thread, read once per request by
// the inbound proxies on the workers (a single atomic load while it is off).
class FaultSwitch {
public:
    // The fault in force, or null.
    std::shared_ptr<const control::FaultConfig> current() const;
    void set(std::optional<control::FaultConfig> fault);

private:
    std::atomic<bool> m_on {false};
    std::atomic<std::shared_ptr<const control::FaultConfig>> m_fault;
};

// Every version's switch, by (service, namespace, version). Thread-safe (a mutex, which no
// request takes: each inbound proxy holds its version's switch from the start). A switch is
// made at the first ask and kept, so a replica added later by a reload finds the fault in force.
class VersionFaults {
public:
    std::shared_ptr<const FaultSwitch> switchFor(const VersionKey &key);
    void set(const VersionKey &key, const control::FaultConfig &fault);
    // Whether there was a fault to clear.
    bool clear(const VersionKey &key);
    std::optional<control::FaultConfig> get(const VersionKey &key) const;
    // Every version with a fault, ordered by service, namespace, version.
    std::vector<std::pair<VersionKey, control::FaultConfig>> list() const;
    // Clears the faults of the versions for which `exists` is false (a reload removed them);
    // returns those versions.
    std::vector<VersionKey> clearUnless(const std::function<bool(const VersionKey &)> &exists);

private:
    const std::shared_ptr<FaultSwitch> &slot(const VersionKey &key); // with m_mutex held

    mutable std::mutex m_mutex;
    std::map<VersionKey, std::shared_ptr<FaultSwitch>> m_switches;
    std::map<VersionKey, control::FaultConfig> m_set; // what list() and get() answer
};

// Why `fault` cannot be set as a runtime fault, in one sentence, or nothing: percentages from 0
// to 100, a delay of at most MaxFaultDelay (and above 0 when a delay percentage is set), an abort
// status from 400 to 599, and something to inject.
std::optional<std::string> faultProblem(const control::FaultConfig &fault);

// What one request draws from a fault: how long it waits, then whether it is aborted (and with
// which status).
struct FaultDraw {
    control::Millis delay {0};
    std::optional<unsigned> abortStatus;
};
FaultDraw drawFault(const control::FaultConfig &fault, Chance &chance);

} // namespace meshcore::proxy
