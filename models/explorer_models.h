#pragma once

#include <QObject>
#include <QString>

#include <filesystem>

#include "core/address.h"
#include "models/mesh_snapshot.h"

namespace meshscope::models {

class CertificatesModel;
class ChecksModel;
class EdgesModel;
class EventsModel;
class MeshConnection;
class MeshGraph;
class RoutesModel;
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
    // Another meshd: nothing of this one's stays, the tap goes there (started again by its view).
    void retarget(const meshcore::Address &address, const std::filesystem::path &stateDir);

    MeshGraph *graph() const { return m_graph; }
    ChecksModel *checks() const { return m_checks; }
    EventsModel *events() const { return m_events; }
    CertificatesModel *certificates() const { return m_certificates; }
    RoutesModel *routes() const { return m_routes; }
    EdgesModel *edges() const { return m_edges; }
    WorkloadsModel *workloads() const { return m_workloads; }
    TapModel *tap() const { return m_tap; }
    TapStream *tapStream() const { return m_tapStream; }
    // The last poll that answered (null before the first), e.g. for the certificates' report.
    const PollResultPtr &latest() const { return m_latest; }

Q_SIGNALS:
    // A poll that answered is in every model.
    void applied(const meshscope::models::PollResultPtr &result);
    // The selected service changed (setService, retarget).
    void serviceChanged(const QString &key);

private:
    void apply(const PollResultPtr &result);
    void applyToService(const PollResult &result);

    MeshGraph *m_graph;
    ChecksModel *m_checks;
    EventsModel *m_events;
    CertificatesModel *m_certificates;
    RoutesModel *m_routes;
    EdgesModel *m_edges;
    WorkloadsModel *m_workloads;
    TapModel *m_tap;
    TapStream *m_tapStream;
    QString m_service;
    PollResultPtr m_latest;
};

} // namespace meshscope::models
