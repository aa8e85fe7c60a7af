#pragma once

#include <QObject>
#include <QString>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>

#include "client/admin_client.h"
#include "models/mesh_snapshot.h"

class QTimer;

namespace meshscope::models {

// Polls meshd's admin API through the blocking libcurl client. Lives on its own QThread: every
// slot runs there, so the GUI thread never waits on the network. Results leave through `publish`,
// a callback that must be safe to call from this thread.
class MeshClientWorker : public QObject {
    Q_OBJECT
public:
    using Publish = std::function<void(PollResultPtr)>;

    MeshClientWorker(meshcore::Address address, std::filesystem::path stateDir, Publish publish);
    ~MeshClientWorker() override;

    // How an action the user asked for ended (applySplit, rotations).
    using ActionDone = std::function<void(QString action, bool ok, QString message)>;
    void setActionDone(ActionDone done) { m_actionDone = std::move(done); }

    // NOLINTNEXTLINE(readability-redundant-access-specifiers): Q_SLOTS makes them slots
public Q_SLOTS:
    void start(int intervalMs);
    void setInterval(int intervalMs);
    void pollNow();
    void stop();
    // The service whose routes, history and split each poll also fetches ("" for none).
    // A service ("name.ns") or an edge ("caller>callee" as GraphEdge::key) whose routes, history
    // and (callee's) split each poll also fetches; "" for none.
    void setFocus(const QString &focus);
    // The history's span: 300, 900 or 3600 seconds.
    void setHistoryRange(int seconds);
    // Actions: each runs here, reports through ActionDone, then polls at once.
    void applySplit(const QString &service,
                    const std::vector<meshcore::admin::BackendShare> &backends);
    void rotateIssuer();
    void rotateAnchor(const QString &stage);
    // Rollouts (mesh_client_worker_rollouts.cpp): the action's name is "rollout-start" or
    // "rollout-<action>"; a refusal carries meshd's sentence.
    void startRollout(const meshcore::control::RolloutSpec &spec);
    void rolloutAction(const QString &service, meshcore::rollout::Action action,
                       std::optional<unsigned> weight);
    // Writes the running mesh as Kubernetes YAML to `path` ("export"): HTTPRoutes, and Flagger
    // and Argo rollouts for the services with one, as `meshd export` does.
    void exportTo(const QString &path);
    // A runtime fault on one version ("fault-set"), or none ("fault-clear").
    void setFault(const QString &service, const QString &version,
                  const std::optional<meshcore::admin::FaultSpec> &fault);

private:
    void fetchViews(PollResult &result);
    void finishAction(const QString &action, const meshcore::Error *error, const QString &success);
    PollResultPtr pollOnce();
    bool reloadToken(meshcore::Error *error);

    meshcore::Address m_address;
    std::filesystem::path m_stateDir;
    Publish m_publish;
    std::unique_ptr<meshcore::client::AdminClient> m_client;
    QTimer *m_timer = nullptr;
    bool m_haveToken = false;
    ActionDone m_actionDone;
    std::string m_focus;
    int m_rangeSeconds = 900;
    unsigned m_polls = 0;
    std::int64_t m_meshdPid = 0; // to notice a restart
    std::uint64_t m_lastEventSeq = 0;
    std::shared_ptr<const meshcore::admin::ChecksReport> m_checks;
    std::shared_ptr<const meshcore::admin::CertificateReport> m_certificates;
    std::shared_ptr<const std::vector<meshcore::rollout::RolloutStatus>> m_rollouts;
    std::shared_ptr<const std::vector<meshcore::admin::SplitInfo>> m_splits;
};

} // namespace meshscope::models
