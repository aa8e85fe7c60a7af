#include "models/mesh_graph.h"
#include "core/service_key.h"
#include "models/rollout_text.h"

#include <QSet>

#include <cmath>

namespace meshscope::models {
namespace {

using meshcore::admin::ChecksReport;
using meshcore::admin::Topology;

GraphNode::Kind kindOf(const std::string &kind)
{
    if (kind == "client")
        return GraphNode::Kind::Client;
    if (kind == "unknown")
        return GraphNode::Kind::Unknown;
    return GraphNode::Kind::Service;
}

// Drops the items a refresh did not list, noting their keys.
template <typename Item>
void dropUnseen(QHash<QString, Item> &items, quint64 generation, QStringList &removed)
{
    for (auto it = items.begin(); it != items.end();) {
        if (it->generation != generation) {
            removed.append(it.key());
            it = items.erase(it);
        } else {
            ++it;
        }
    }
}

// Puts `fresh` in place of the item with its key (or adds it), noting what that changed.
template <typename Item>
void upsert(QHash<QString, Item> &items, Item fresh, quint64 generation, QStringList &added,
            QStringList &changed)
{
    fresh.generation = generation;
    const auto it = items.find(fresh.key);
    if (it == items.end()) {
        added.append(fresh.key);
        items.insert(fresh.key, std::move(fresh));
    } else if (!(*it == fresh)) {
        changed.append(fresh.key);
        *it = std::move(fresh);
    } else {
        it->generation = generation;
    }
}

// Each service's current rollout (meshd lists a service's active or latest one first).
QHash<QString, const meshcore::rollout::RolloutStatus *>
currentRollouts(const std::vector<meshcore::rollout::RolloutStatus> *rollouts)
{
    QHash<QString, const meshcore::rollout::RolloutStatus *> current;
    if (rollouts)
        for (const auto &status : *rollouts)
            if (!current.contains(rolloutService(status)))
                current.insert(rolloutService(status), &status);
    return current;
}

void setBadge(GraphNode &node, const meshcore::rollout::RolloutStatus *status,
              const QSet<QString> &dismissed)
{
    using meshcore::rollout::Phase;
    if (!status)
        return;
    const bool active = meshcore::rollout::isActive(status->phase);
    const QString dismissKey
        = rolloutKey(*status) + QLatin1Char('#') + QString::number(status->attempt);
    if (!active && (status->phase != Phase::RolledBack || dismissed.contains(dismissKey)))
        return;
    node.badge = badgeText(*status);
    node.badgeRollout = rolloutKey(*status);
    node.badgeAttempt = status->attempt;
    node.badgeHealth = status->phase == Phase::RolledBack ? Health::Failing
        : status->phase == Phase::Paused                  ? Health::Warning
                                                          : Health::Healthy;
}

// Each service's split, by node key.
QHash<QString, QList<VersionWeight>>
splitsByNode(const std::vector<meshcore::admin::SplitInfo> *splits)
{
    QHash<QString, QList<VersionWeight>> byNode;
    if (splits)
        for (const auto &split : *splits) {
            auto &weights = byNode[MeshGraph::nodeKey(split.service, split.ns)];
            for (const auto &backend : split.backends)
                weights.append({QString::fromStdString(backend.version), backend.weight});
        }
    return byNode;
}

} // namespace

QString splitText(const QList<VersionWeight> &weights)
{
    double total = 0;
    for (const auto &w : weights)
        total += w.weight;
    QStringList parts;
    for (const auto &w : weights)
        parts.append(QStringLiteral("%1 %2 %").arg(
            w.version, QString::number(total > 0 ? std::lround(100 * w.weight / total) : 0)));
    return parts.join(QStringLiteral(" · "));
}

bool GraphNode::operator==(const GraphNode &other) const
{
    return key == other.key && name == other.name && ns == other.ns && kind == other.kind
        && meshed == other.meshed && versions == other.versions && split == other.split
        && traffic == other.traffic && health == other.health && problems == other.problems
        && badge == other.badge && badgeHealth == other.badgeHealth
        && badgeRollout == other.badgeRollout && badgeAttempt == other.badgeAttempt;
}

bool GraphEdge::operator==(const GraphEdge &other) const
{
    return key == other.key && source == other.source && target == other.target
        && sourceIdentity == other.sourceIdentity && targetIdentity == other.targetIdentity
        && mtls == other.mtls && targetMeshed == other.targetMeshed && traffic == other.traffic
        && versions == other.versions && protocols == other.protocols && tcp == other.tcp
        && health == other.health;
}

MeshGraph::MeshGraph(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<GraphChange>();
}

QString MeshGraph::nodeKey(const std::string &name, const std::string &ns)
{
    return QString::fromStdString(meshcore::qualifiedName(name, ns));
}

const GraphNode *MeshGraph::node(const QString &key) const
{
    const auto it = m_nodes.find(key);
    return it == m_nodes.end() ? nullptr : &it.value();
}

void MeshGraph::setThresholds(const HealthThresholds &thresholds)
{
    if (thresholds == m_thresholds)
        return;
    m_thresholds = thresholds;
    if (m_topology)
        apply(m_topology, m_checks, m_podServices, m_rollouts, m_splits);
}

void MeshGraph::dismissBadge(const QString &key)
{
    const auto *n = node(key);
    if (!n || n->badgeRollout.isEmpty())
        return;
    m_dismissed.insert(n->badgeRollout + QLatin1Char('#') + QString::number(n->badgeAttempt));
    if (m_topology)
        apply(m_topology, m_checks, m_podServices, m_rollouts, m_splits);
}

namespace {

using Marks = QHash<QString, std::pair<Health, QStringList>>;

// Which nodes the failing and warning checks mark, how badly and why ("title: message"); a check
// naming a pod marks its service.
Marks checkMarks(const ChecksReport *checks, const std::map<std::string, std::string> &podServices)
{
    Marks marks;
    if (!checks)
        return marks;
    for (const auto &check : checks->checks) {
        if (check.status == meshcore::admin::CheckInfo::Status::Pass)
            continue;
        const Health health = check.status == meshcore::admin::CheckInfo::Status::Fail
            ? Health::Failing
            : Health::Warning;
        for (const auto &subject : check.subjects) {
            const auto pod = podServices.find(subject); // a pod marks its service
            auto &mark = marks[pod != podServices.end() ? QString::fromStdString(pod->second)
                                                        : QString::fromStdString(subject)];
            mark.first = worse(mark.first, health);
            mark.second.append(QString::fromStdString(check.title + ": " + check.message));
        }
    }
    return marks;
}

} // namespace

void MeshGraph::apply(std::shared_ptr<const Topology> snapshot,
                      std::shared_ptr<const ChecksReport> checks,
                      std::map<std::string, std::string> podServices,
                      std::shared_ptr<const Rollouts> rollouts,
                      std::shared_ptr<const Splits> splits)
{
    if (!snapshot)
        return;
    const Topology &topology = *snapshot;
    const auto marks = checkMarks(checks.get(), podServices);

    const auto current = currentRollouts(rollouts.get());
    const auto configured = splitsByNode(splits.get());
    const quint64 generation = ++m_generation;
    GraphChange change;
    for (const auto &s : topology.services) {
        GraphNode node;
        node.key = nodeKey(s.name, s.ns);
        node.name = QString::fromStdString(s.name);
        node.ns = QString::fromStdString(s.ns);
        node.kind = kindOf(s.kind);
        node.meshed = s.meshed;
        for (const auto &v : s.versions)
            node.versions.append(QString::fromStdString(v));
        if (node.versions.size() > 1)
            node.split = configured.value(node.key);
        node.traffic = s.traffic;
        node.health = node.kind == GraphNode::Kind::Unknown ? Health::Failing
                                                            : healthOf(s.traffic, m_thresholds);
        auto mark = marks.find(node.key);
        if (mark == marks.end()) // a check naming the bare service
            mark = marks.find(node.name);
        if (mark != marks.end()) {
            node.health = worse(node.health, mark->first);
            node.problems = mark->second;
        }
        setBadge(node, current.value(node.key), m_dismissed);
        upsert(m_nodes, std::move(node), generation, change.nodesAdded, change.nodesChanged);
    }
    for (const auto &e : topology.edges) {
        GraphEdge edge;
        edge.source = nodeKey(e.sourceService, e.sourceNs);
        edge.target = nodeKey(e.destinationService, e.destinationNs);
        const auto source = m_nodes.constFind(edge.source);
        const auto target = m_nodes.constFind(edge.target);
        if (source == m_nodes.constEnd() || source->generation != generation
            || target == m_nodes.constEnd() || target->generation != generation)
            continue; // meshd lists both ends; an edge to nowhere would be a bug there
        edge.key = edge.source + QLatin1Char('>') + edge.target;
        edge.sourceIdentity = QString::fromStdString(e.sourceIdentity);
        edge.targetIdentity = QString::fromStdString(e.destinationIdentity);
        edge.mtls = e.mtls;
        edge.targetMeshed = e.destinationMeshed;
        edge.traffic = e.traffic;
        edge.versions = QList<meshcore::admin::VersionShare>(e.versions.begin(), e.versions.end());
        for (const auto &protocol : e.protocols)
            edge.protocols.append(QString::fromStdString(protocol));
        edge.tcp = e.tcp;
        edge.health = e.destinationMeshed ? healthOf(e.traffic, m_thresholds) : Health::Failing;
        if (edge.tcp && edge.health == Health::Idle
            && (edge.tcp->openConnections > 0 || edge.tcp->connectionsPerSecond > 0))
            edge.health = Health::Healthy; // connections say nothing of success: held is fine
        upsert(m_edges, std::move(edge), generation, change.edgesAdded, change.edgesChanged);
    }
    dropUnseen(m_edges, generation, change.edgesRemoved);
    dropUnseen(m_nodes, generation, change.nodesRemoved);
    m_topology = std::move(snapshot);
    m_checks = std::move(checks);
    m_podServices = std::move(podServices);
    m_rollouts = std::move(rollouts);
    m_splits = std::move(splits);
    if (!change.empty())
        Q_EMIT changed(change);
}

} // namespace meshscope::models
