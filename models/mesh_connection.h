#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QThread>

#include <filesystem>
#include <mutex>

#include "core/address.h"
#include "models/mesh_snapshot.h"
#include "rollout/rollout.h"

namespace meshscope::models {

class MeshClientWorker;
class MeshdLauncher;

// The app's one link to meshd: polls the admin API on a worker thread, starts the bundled meshd
// when nothing answers (and stops it on shutdown), and hands results to the GUI thread as
// immutable snapshots. Bursts are coalesced: the GUI only ever sees the latest poll.
// Thread: lives on, and is used from, the GUI thread.
class MeshConnection : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Connecting, StartingMeshd, Connected, Disconnected };
    Q_ENUM(State)

    struct Options {
        meshcore::Address address = meshcore::defaultAdminAddress();
        meshcore::Address meshdOutbound {"127.0.0.1", 4140}; // for a meshd this app starts
        std::filesystem::path stateDir;
        bool startMeshdIfAbsent = true;
        int pollIntervalMs = 1000;
        int startTimeoutMs = 15000;
    };

    explicit MeshConnection(Options options, QObject *parent = nullptr);
    ~MeshConnection() override;

    void start();
    // Stops polling and, if this app started meshd, stops it. Idempotent.
    void shutdown();
    // Connects to another meshd (the settings dialog): as shutdown(), then start() there.
    void reconnect(const meshcore::Address &address, const std::filesystem::path &stateDir);

    State state() const { return m_state; }
    QString statusText() const { return m_statusText; }
    PollResultPtr latest() const { return m_latest; }
    QString addressText() const;
    bool startedMeshd() const;
    qint64 meshdPid() const;
    const Options &options() const { return m_options; }
    // Whether a poll that finds nobody there starts the bundled meshd (not when it was told not
    // to, nor while it waits for a meshd someone else runs).
    bool startsMeshdWhenAbsent() const { return m_options.startMeshdIfAbsent && !m_externalMeshd; }
    // Polls now (the Retry button), and lets a start of the bundled meshd happen at once.
    void retry();

    // The service ("name.ns") or edge ("caller>callee") whose routes, history and split the polls
    // also fetch ("" for none).
    void setFocus(const QString &focus);
    // How far back the focus's history goes: 300, 900 (the default) or 3600 seconds.
    void setHistoryRange(int seconds);
    int historyRange() const { return m_historyRange; }
    // Actions, run on the client thread; each ends with actionFinished.
    void applySplit(const QString &service,
                    const std::vector<meshcore::admin::BackendShare> &backends);
    void rotateIssuer();
    void rotateAnchor(const QString &stage); // "add", "reissue", "remove"
    // Starts a rollout ("rollout-start"), or acts on a service's ("rollout-pause", ...).
    void startRollout(const meshcore::control::RolloutSpec &spec);
    void rolloutAction(const QString &service, meshcore::rollout::Action action,
                       std::optional<unsigned> weight = std::nullopt);
    // Writes the running mesh as Kubernetes YAML ("export").
    void exportTo(const QString &path);
    // Breaks one version on purpose ("fault-set"), or heals it with nothing ("fault-clear").
    void setFault(const QString &service, const QString &version,
                  const std::optional<meshcore::admin::FaultSpec> &fault);

Q_SIGNALS:
    void stateChanged(meshscope::models::MeshConnection::State state, const QString &statusText);
    void snapshotArrived(meshscope::models::PollResultPtr result);
    void actionFinished(const QString &action, bool ok, const QString &message);

private:
    void createWorker();
    void enqueue(PollResultPtr result); // any thread
    void deliver(); // GUI thread
    void onPoll(const PollResultPtr &result);
    void onMeshdExited(const QString &reason);
    bool maybeStartMeshd();
    void setState(State state, const QString &text);
    void setPollInterval(int ms);

    Options m_options;
    QThread m_thread;
    MeshClientWorker *m_worker = nullptr;
    MeshdLauncher *m_launcher = nullptr;
    State m_state = State::Idle;
    QString m_statusText;
    PollResultPtr m_latest;
    QElapsedTimer m_sinceLaunch;
    QString m_launchFailure;
    bool m_shutDown = false;
    // Connected to a meshd someone else runs: if it goes away, wait for it rather than start ours.
    bool m_externalMeshd = false;
    int m_historyRange = 900; // seconds

    std::mutex m_mutex;
    PollResultPtr m_pending;
    bool m_deliveryQueued = false;
};

} // namespace meshscope::models
