#include "models/explorer_models.h"

#include <QDateTime>

#include <map>

#include "core/service_key.h"
#include "models/certificates_model.h"
#include "models/checks_model.h"
#include "models/edge_versions_model.h"
#include "models/edges_model.h"
#include "models/events_model.h"
#include "models/mesh_connection.h"
#include "models/mesh_graph.h"
#include "models/rollout_events_model.h"
#include "models/rollout_intervals_model.h"
#include "models/rollout_text.h"
#include "models/rollouts_model.h"
#include "models/routes_model.h"
#include "models/services_model.h"
#include "models/tap_model.h"
#include "models/tap_stream.h"
#include "models/workloads_model.h"

namespace meshscope::models {

ExplorerModels::ExplorerModels(MeshConnection *connection, QObject *parent)
    : QObject(parent)
    , m_graph(new MeshGraph(this))
    , m_checks(new ChecksModel(this))
    , m_events(new EventsModel(this))
    , m_certificates(new CertificatesModel(this))
    , m_services(new ServicesModel(this))
    , m_routes(new RoutesModel(this))
    , m_edges(new EdgesModel(this))
    , m_workloads(new WorkloadsModel(this))
    , m_edgeVersions(new EdgeVersionsModel(this))
    , m_edgeRoutes(new RoutesModel(this))
    , m_tap(new TapModel(this))
    , m_tapStream(
          new TapStream(connection->options().address, connection->options().stateDir, this))
    , m_rollouts(new RolloutsModel(this))
    , m_rolloutIntervals(new RolloutIntervalsModel(this))
    , m_rolloutEvents(new RolloutEventsModel(this))
{
    m_certificates->setReport(nullptr, QDateTime::currentSecsSinceEpoch());
    connect(connection, &MeshConnection::snapshotArrived, this, &ExplorerModels::apply);
    connect(m_tapStream, &TapStream::arrived, m_tap, &TapModel::append);
}

ExplorerModels::~ExplorerModels() = default;

void ExplorerModels::apply(const PollResultPtr &result)
{
    if (!result->ok)
        return;
    m_latest = result;
    std::map<std::string, std::string> podServices;
    if (result->workloads)
        for (const auto &w : *result->workloads)
            podServices[w.pod] = meshcore::qualifiedName(w.service, w.ns);
    m_graph->apply(result->topology, result->checks, std::move(podServices), result->rollouts,
                   result->splits);
    m_services->setGraph(*m_graph);
    if (result->history) {
        m_historyKey = QString::fromStdString(result->focus);
        m_history
            = m_historyCache.merged(result->focus, *result->history, result->info.startedAtUnixMs);
    }
    applyToService(*result);
    applyToEdge(*result);
    applyRollouts(*result);
    m_checks->setReport(result->checks.get());
    m_certificates->setReport(result->certificates.get(), QDateTime::currentSecsSinceEpoch());
    if (result->eventsRestarted)
        m_events->clear();
    m_events->append(result->newEvents);
    Q_EMIT applied(result);
}

void ExplorerModels::applyToService(const PollResult &result)
{
    if (m_service.isEmpty())
        return;
    m_edges->setService(*m_graph, m_service);
    m_workloads->setWorkloads(result.workloads.get(), m_service);
    if (QString::fromStdString(result.focus)
        == m_service) // else the poll was for the previous selection
        m_routes->setRoutes(result.routes.get());
}

void ExplorerModels::applyToEdge(const PollResult &result)
{
    if (m_edge.isEmpty())
        return;
    if (QString::fromStdString(result.focus) == m_edge) {
        m_edgeRoutes->setRoutes(result.routes.get());
        m_edgeSplit = result.split;
    }
    const auto edge = m_graph->edges().constFind(m_edge);
    m_edgeVersions->setEdge(edge == m_graph->edges().constEnd() ? nullptr : &*edge,
                            m_edgeSplit.get());
}

void ExplorerModels::setEdge(const QString &key)
{
    if (!key.isEmpty() && !m_service.isEmpty())
        setService({});
    if (key == m_edge)
        return;
    m_edge = key;
    m_edgeSplit.reset();
    m_edgeRoutes->setRoutes(nullptr);
    const auto edge = m_graph->edges().constFind(key);
    m_edgeVersions->setEdge(edge == m_graph->edges().constEnd() ? nullptr : &*edge, nullptr);
    Q_EMIT edgeChanged(key);
}

void ExplorerModels::setService(const QString &key)
{
    if (!key.isEmpty() && !m_edge.isEmpty())
        setEdge({});
    m_service = key;
    // Routes come from a poll focused on this service (the next one); edges and workloads are in
    // every poll, so the last one fills them at once.
    m_routes->setRoutes(nullptr);
    m_workloads->setWorkloads(m_latest && !key.isEmpty() ? m_latest->workloads.get() : nullptr,
                              key);
    m_edges->setService(*m_graph, key);
    Q_EMIT serviceChanged(key);
    // The cockpit follows the service's rollout, when it has one.
    if (const QString current = m_rollouts->currentOf(key); !current.isEmpty()) {
        m_rolloutPicked = false;
        showRollout(current);
    }
}

void ExplorerModels::retarget(const meshcore::Address &address,
                              const std::filesystem::path &stateDir)
{
    m_graph->apply(std::make_shared<meshcore::admin::Topology>(), nullptr, {});
    m_services->setGraph(*m_graph);
    setService({});
    setEdge({});
    m_events->clear();
    m_rollouts->setRollouts(nullptr);
    m_rolloutPicked = false;
    showRollout({});
    m_latest.reset();
    m_historyCache.clear();
    m_history.reset();
    m_tapStream->setTarget(address, stateDir);
}

void ExplorerModels::applyRollouts(const PollResult &result)
{
    m_rollouts->setRollouts(result.rollouts.get());
    const auto *shown = m_rollouts->find(m_rollout);
    m_rolloutPicked = m_rolloutPicked && shown;
    QString wanted = shown ? m_rollout : QString();
    // A newer rollout of the same service (started or retried elsewhere) takes over.
    if (shown && !shown->current)
        if (const auto *newer
            = m_rollouts->find(m_rollouts->currentOf(rolloutService(shown->status)));
            newer && meshcore::rollout::isActive(newer->status.phase))
            wanted = newer->id;
    if (!m_rolloutPicked) {
        const QString ofService = m_rollouts->currentOf(m_service);
        const QString active = m_rollouts->firstActive();
        wanted = !ofService.isEmpty() ? ofService
            : !active.isEmpty()       ? active
            : !wanted.isEmpty()       ? wanted
            : m_rollouts->rowCount()  ? m_rollouts->rowAt(0)->id
                                      : QString();
    }
    showRollout(wanted);
}

void ExplorerModels::setRollout(const QString &key)
{
    m_rolloutPicked = !key.isEmpty();
    showRollout(key);
}

void ExplorerModels::showRollout(const QString &key)
{
    const bool changed = key != m_rollout;
    m_rollout = key;
    const auto *row = m_rollouts->find(key);
    m_rolloutIntervals->setRollout(row ? &row->status : nullptr);
    m_rolloutEvents->setRollout(row ? &row->status : nullptr);
    if (changed)
        Q_EMIT rolloutChanged(key);
}

const meshcore::admin::ServiceHistory *ExplorerModels::history(const QString &key) const
{
    return m_history && key == m_historyKey ? &*m_history : nullptr;
}

const meshcore::rollout::RolloutStatus *ExplorerModels::selectedRollout() const
{
    const auto *row = m_rollouts->find(m_rollout);
    return row ? &row->status : nullptr;
}

bool ExplorerModels::selectedIsCurrent() const
{
    const auto *row = m_rollouts->find(m_rollout);
    return row && row->current;
}

} // namespace meshscope::models
