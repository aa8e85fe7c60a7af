#pragma once

#include <QObject>
#include <QString>

#include <filesystem>
#include <optional>

#include "core/address.h"
#include "models/history_cache.h"
#include "models/mesh_snapshot.h"

namespace meshscope::models {

class CertificatesModel;
class ChecksModel;
class EdgesModel;
class EdgeVersionsModel;
class EventsModel;
class MeshConnection;
class MeshGraph;
class RolloutEventsModel;
class RolloutIntervalsModel;
class RolloutsModel;
class RoutesModel;
class ServicesModel;
class TapModel;
class TapStream;
class WorkloadsModel;

// Every model the explorer shows, owned and fed in one place: each poll of `connection` goes
// into the graph, the checks, the certificates, the events and the selected service's tables
// here, then `applied` tells the views (which only lay out and bind to these models) that a
// poll is in. The live tap's stream feeds the tap model here too.
// Adding a model: a member, its accessor, and its line in apply(). Thread: GUI.
class ExplorerModels : public QObject {
    Q_OBJECT
public:
    explicit ExplorerModels(MeshConnection *connection, QObject *parent = nullptr);
    ~ExplorerModels() override;

    // The service the user looks at ("name.ns", "" for none): its callers, callees and workloads
    // from the last poll at once, its routes from the next poll (which asks for them).
    void setService(const QString &key);
    QString service() const { return m_service; }
    // The edge the user looks at ("caller>callee" as GraphEdge::key, "" for none): selecting one
    // clears the service and the other way round. Its versions from the last poll at once, its
    // routes, history and the callee's split from the next one.
    void setEdge(const QString &key);
    QString edge() const { return m_edge; }
    // Another meshd: nothing of this one's stays, the tap goes there (started again by its view).
    void retarget(const meshcore::Address &address, const std::filesystem::path &stateDir);

    MeshGraph *graph() const { return m_graph; }
    ChecksModel *checks() const { return m_checks; }
    EventsModel *events() const { return m_events; }
    CertificatesModel *certificates() const { return m_certificates; }
    // Every service, for the overview.
    ServicesModel *services() const { return m_services; }
    RoutesModel *routes() const { return m_routes; }
    EdgesModel *edges() const { return m_edges; }
    WorkloadsModel *workloads() const { return m_workloads; }
    // The selected edge's versions and routes.
    EdgeVersionsModel *edgeVersions() const { return m_edgeVersions; }
    RoutesModel *edgeRoutes() const { return m_edgeRoutes; }
    TapModel *tap() const { return m_tap; }
    // Every rollout, and the intervals and events of the one the cockpit shows.
    RolloutsModel *rollouts() const { return m_rollouts; }
    RolloutIntervalsModel *rolloutIntervals() const { return m_rolloutIntervals; }
    RolloutEventsModel *rolloutEvents() const { return m_rolloutEvents; }
    // The rollout the cockpit shows (models::rolloutKey; "" for none). Until the user picks one,
    // and when the one shown is replaced by a newer one of its service, it follows the selected
    // service's current rollout, else the first active one.
    void setRollout(const QString &key);
    QString rollout() const { return m_rollout; }
    // Its status as of the last poll (null when none).
    const meshcore::rollout::RolloutStatus *selectedRollout() const;
    // Whether meshd acts on it (it is its service's active or latest rollout).
    bool selectedIsCurrent() const;
    TapStream *tapStream() const { return m_tapStream; }
    // The history of the selected service or edge (`key`): meshd's last answer with what the app
    // saw before a restart of meshd put in (HistoryCache); null when the polls have none for it.
    const meshcore::admin::ServiceHistory *history(const QString &key) const;
    // The last poll that answered (null before the first), e.g. for the certificates' report.
    const PollResultPtr &latest() const { return m_latest; }

Q_SIGNALS:
    // A poll that answered is in every model.
    void applied(const meshscope::models::PollResultPtr &result);
    // The selected service changed (setService, retarget).
    void serviceChanged(const QString &key);
    // The selected edge changed (setEdge, setService, retarget).
    void edgeChanged(const QString &key);
    // The cockpit's rollout changed (setRollout, or it followed a newer one).
    void rolloutChanged(const QString &key);

private:
    void apply(const PollResultPtr &result);
    void applyToService(const PollResult &result);
    void applyToEdge(const PollResult &result);
    void applyRollouts(const PollResult &result);
    void showRollout(const QString &key);

    MeshGraph *m_graph;
    ChecksModel *m_checks;
    EventsModel *m_events;
    CertificatesModel *m_certificates;
    ServicesModel *m_services;
    RoutesModel *m_routes;
    EdgesModel *m_edges;
    WorkloadsModel *m_workloads;
    EdgeVersionsModel *m_edgeVersions;
    RoutesModel *m_edgeRoutes;
    TapModel *m_tap;
    TapStream *m_tapStream;
    RolloutsModel *m_rollouts;
    RolloutIntervalsModel *m_rolloutIntervals;
    RolloutEventsModel *m_rolloutEvents;
    QString m_rollout;
    bool m_rolloutPicked = false; // by the user: stays until it is gone
    QString m_service;
    QString m_edge;
    std::shared_ptr<const meshcore::admin::SplitInfo> m_edgeSplit; // the callee's, once polled
    PollResultPtr m_latest;
    HistoryCache m_historyCache;
    QString m_historyKey; // whose m_history is
    std::optional<meshcore::admin::ServiceHistory> m_history;
};

} // namespace meshscope::models
