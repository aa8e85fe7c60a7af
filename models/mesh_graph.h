#pragma once

#include <QHash>
#include <QList>
#include <QObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "admin/api_types.h"
#include "models/health.h"
#include "rollout/rollout_status.h"

namespace meshscope::models {

// One version's part of a service's traffic: a split's weight, or an observed share.
struct VersionWeight {
    QString version;
    unsigned weight = 0;
    bool operator==(const VersionWeight &) const = default;
};
// "v1 90 % · v2 10 %": each weight as a share of their sum.
QString splitText(const QList<VersionWeight> &weights);

// A node of the topology: a service of the mesh, a local client, or a name that was called but
// that no service has (kept visible: the misconfigured destination).
struct GraphNode {
    enum class Kind { Service, Client, Unknown };
    QString key; // "catalog.shop"; an unknown name as it was called
    QString name;
    QString ns;
    Kind kind = Kind::Service;
    bool meshed = true;
    QStringList versions;
    QList<VersionWeight> split; // its traffic split (GET /api/v1/splits), when it has one
    meshcore::admin::TrafficFigures traffic; // as its callers saw it
    Health health = Health::Idle; // from its traffic and the checks concerning it
    QStringList problems; // failing or warning checks concerning it
    // A rollout in progress, or one that rolled back and was not dismissed: "canary v2 20 %
    // progressing", coloured by `badgeHealth`; `badgeRollout` is its key (models::rolloutKey).
    QString badge;
    Health badgeHealth = Health::Idle;
    QString badgeRollout;
    unsigned badgeAttempt = 0; // a retry's new attempt shows again what an old one dismissed

    bool operator==(const GraphNode &other) const;
    quint64 generation = 0; // the refresh that last listed it (not compared)
};

// Observed traffic from one node to another over the window.
struct GraphEdge {
    QString key; // "frontend.shop>catalog.shop"
    QString source;
    QString target;
    QString sourceIdentity;
    QString targetIdentity;
    bool mtls = false;
    bool targetMeshed = true;
    meshcore::admin::TrafficFigures traffic;
    QList<meshcore::admin::VersionShare> versions; // shared on copy
    QStringList protocols; // "http", "tcp"
    std::optional<meshcore::admin::TcpFigures> tcp; // its opaque TCP connections
    Health health = Health::Idle;

    bool carriesHttp() const { return protocols.contains(QStringLiteral("http")); }
    bool operator==(const GraphEdge &other) const;
    quint64 generation = 0; // the refresh that last listed it (not compared)
};

// What one refresh changed; views update exactly these.
struct GraphChange {
    QStringList nodesAdded;
    QStringList nodesRemoved;
    QStringList nodesChanged; // figures, health or versions
    QStringList edgesAdded;
    QStringList edgesRemoved;
    QStringList edgesChanged;
    bool structural() const
    {
        return !nodesAdded.isEmpty() || !nodesRemoved.isEmpty() || !edgesAdded.isEmpty()
            || !edgesRemoved.isEmpty();
    }
    bool empty() const { return !structural() && nodesChanged.isEmpty() && edgesChanged.isEmpty(); }
};

// The mesh's topology as the app shows it, diffed by stable keys on every refresh so the graph
// recolours and relabels items in place instead of rebuilding them.
// Thread: GUI.
class MeshGraph : public QObject {
    Q_OBJECT
public:
    explicit MeshGraph(QObject *parent = nullptr);

    // `podServices` maps pods ("api-v1-0") to their node keys, to place checks naming pods;
    // `rollouts` (GET /api/v1/rollouts) put a badge on the services they roll out; `splits`
    // (GET /api/v1/splits) give each service its configured shares.
    using Rollouts = std::vector<meshcore::rollout::RolloutStatus>;
    using Splits = std::vector<meshcore::admin::SplitInfo>;
    void apply(std::shared_ptr<const meshcore::admin::Topology> topology,
               std::shared_ptr<const meshcore::admin::ChecksReport> checks,
               std::map<std::string, std::string> podServices,
               std::shared_ptr<const Rollouts> rollouts = nullptr,
               std::shared_ptr<const Splits> splits = nullptr);
    // Takes the badge of a finished rollout off `key`'s card (until another rollout of it).
    void dismissBadge(const QString &key);
    void setThresholds(const HealthThresholds &thresholds);
    const HealthThresholds &thresholds() const { return m_thresholds; }

    const QHash<QString, GraphNode> &nodes() const { return m_nodes; }
    const QHash<QString, GraphEdge> &edges() const { return m_edges; }
    const GraphNode *node(const QString &key) const;
    static QString nodeKey(const std::string &name, const std::string &ns);

Q_SIGNALS:
    void changed(const meshscope::models::GraphChange &change);

private:
    HealthThresholds m_thresholds;
    QHash<QString, GraphNode> m_nodes;
    QHash<QString, GraphEdge> m_edges;
    // The last input, to re-derive health when the thresholds change.
    std::shared_ptr<const meshcore::admin::Topology> m_topology;
    std::shared_ptr<const meshcore::admin::ChecksReport> m_checks;
    std::map<std::string, std::string> m_podServices;
    std::shared_ptr<const Rollouts> m_rollouts;
    std::shared_ptr<const Splits> m_splits;
    QSet<QString> m_dismissed; // rollouts whose badges the user took off (local to this app)
    quint64 m_generation = 0;
};

} // namespace meshscope::models

Q_DECLARE_METATYPE(meshscope::models::GraphChange)
