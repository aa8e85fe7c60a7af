#pragma once

// What the rollout integration tests share: a service `web` (v1 and v2) whose versions are
// third-party servers meshd supervises, user traffic from a thread, and waiting for a phase.

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>

#include "core/address.h"
#include "rollout/rollout_status.h"
#include "tests/support/test_mesh.h"

namespace meshscope::testing {

// The services: list of a mesh with `web.shop`: v1 is Python's http.server, v2 too or, with
// `candidateFailPercent` or `candidateDelayMs` > 0, a Python server answering 500 to that share of
// requests, after that delay. The split starts all on v1. Files go in `dir`.
QString webService(const QString &dir, int candidateFailPercent, int candidateDelayMs = 0);

// Waits until every workload of the mesh accepts connections on its port (the supervised servers
// take a moment to start after meshd is ready); false after 15 s.
bool waitUntilServing(const TestMesh &mesh);

// --admin and --state-dir of the mesh's meshd, for `meshd rollout ...` runs.
QStringList where(const TestMesh &mesh);

// web.shop's rollout once it is in `phase` (polled through the admin API), or nothing after
// `timeout` (with a warning saying where it is instead).
std::optional<meshcore::rollout::RolloutStatus>
waitForRollout(const TestMesh &mesh, meshcore::rollout::Phase phase,
               std::chrono::seconds timeout = std::chrono::seconds(40));

// web.shop's split weight of `version` now (1000 when meshd does not answer).
unsigned webWeight(const TestMesh &mesh, const char *version);

// A real meshd running webService() (plus `extraYaml` after the services, e.g. a rollouts:
// section), in a temporary directory of its own, with the CLI at hand.
class RolloutMesh : private QTemporaryDir, public TestMesh {
public:
    explicit RolloutMesh(int candidateFailPercent, int candidateDelayMs = 0,
                         const QString &extraYaml = {});
    // meshd is up and every workload listens.
    bool ready() const { return meshd && waitUntilServing(*this); }
    QString dir() const { return QTemporaryDir::path(); }
    // `meshd ARGS... --admin ... --state-dir ...`, and `meshd rollout ARGS...` the same way.
    MeshdRun run(const QStringList &args) const;
    MeshdRun rollout(const QStringList &args) const { return run(QStringList {"rollout"} + args); }
};

// User traffic: GET http://web.shop/ every 10 ms through `proxy`, from a thread, counting what
// did not answer 200.
class RolloutUsers {
public:
    explicit RolloutUsers(const meshcore::Address &proxy);
    ~RolloutUsers() { stop(); }
    RolloutUsers(const RolloutUsers &) = delete;
    RolloutUsers &operator=(const RolloutUsers &) = delete;
    void stop();
    int sent() const { return m_sent; }
    int failed() const { return m_failed; }

private:
    std::atomic<bool> m_stop {false};
    std::atomic<int> m_sent {0};
    std::atomic<int> m_failed {0};
    std::thread m_thread;
};

} // namespace meshscope::testing
