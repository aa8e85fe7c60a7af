// The topology diff the graph view relies on: stable keys, minimal change lists, checks marking
// the nodes they name, health from the thresholds.
#include <QSignalSpy>
#include <QTest>

#include "models/mesh_graph.h"

using meshcore::admin::ChecksReport;
using meshcore::admin::Topology;
using meshscope::models::GraphChange;
using meshscope::models::Health;
using meshscope::models::MeshGraph;

namespace {

meshcore::admin::TrafficFigures figures(double rps, double success)
{
    meshcore::admin::TrafficFigures f;
    f.requests = static_cast<std::int64_t>(rps * 30);
    f.rps = rps;
    if (f.requests)
        f.successRate = success;
    f.p99Ms = 12;
    return f;
}

std::shared_ptr<Topology> shop(double catalogSuccess = 1.0, bool withTypo = false)
{
    auto t = std::make_shared<Topology>();
    t->windowSeconds = 30;
    using meshcore::admin::TopologyEdge;
    using meshcore::admin::TopologyService;
    using meshcore::admin::VersionShare;
    t->services.push_back(TopologyService {.name = "local-client",
                                           .ns = "meshscope-local",
                                           .kind = "client",
                                           .meshed = true,
                                           .versions = {},
                                           .identity = "spiffe://x/local",
                                           .traffic = {}});
    t->services.push_back(TopologyService {.name = "frontend",
                                           .ns = "shop",
                                           .kind = "service",
                                           .meshed = true,
                                           .versions = {"v1"},
                                           .identity = "",
                                           .traffic = figures(3, 1.0)});
    t->services.push_back(TopologyService {.name = "catalog",
                                           .ns = "shop",
                                           .kind = "service",
                                           .meshed = true,
                                           .versions = {"v1", "v2"},
                                           .identity = "",
                                           .traffic = figures(6, catalogSuccess)});
    t->edges.push_back(TopologyEdge {.sourceService = "local-client",
                                     .sourceNs = "meshscope-local",
                                     .sourceIdentity = "spiffe://x/local",
                                     .destinationService = "frontend",
                                     .destinationNs = "shop",
                                     .destinationIdentity = "spiffe://x/frontend",
                                     .destinationMeshed = true,
                                     .mtls = true,
                                     .traffic = figures(3, 1.0),
                                     .versions = {},
                                     .protocols = {"http"},
                                     .tcp = std::nullopt});
    t->edges.push_back(
        TopologyEdge {.sourceService = "frontend",
                      .sourceNs = "shop",
                      .sourceIdentity = "spiffe://x/frontend",
                      .destinationService = "catalog",
                      .destinationNs = "shop",
                      .destinationIdentity = "spiffe://x/catalog",
                      .destinationMeshed = true,
                      .mtls = true,
                      .traffic = figures(6, catalogSuccess),
                      .versions = {VersionShare {.version = "v1", .share = 0.9, .traffic = {}},
                                   VersionShare {.version = "v2", .share = 0.1, .traffic = {}}},
                      .protocols = {"http"},
                      .tcp = std::nullopt});
    if (withTypo) {
        t->services.push_back(TopologyService {.name = "catalgo.shop",
                                               .ns = "",
                                               .kind = "unknown",
                                               .meshed = false,
                                               .versions = {},
                                               .identity = "",
                                               .traffic = figures(1, 0)});
        t->edges.push_back(TopologyEdge {.sourceService = "frontend",
                                         .sourceNs = "shop",
                                         .sourceIdentity = "spiffe://x/frontend",
                                         .destinationService = "catalgo.shop",
                                         .destinationNs = "",
                                         .destinationIdentity = "",
                                         .destinationMeshed = false,
                                         .mtls = false,
                                         .traffic = figures(1, 0),
                                         .versions = {},
                                         .protocols = {"http"},
                                         .tcp = std::nullopt});
    }
    return t;
}

GraphChange lastChange(const QSignalSpy &spy)
{
    return spy.last().at(0).value<GraphChange>();
}

} // namespace

class TestMeshGraph : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theFirstSnapshotAddsEverything()
    {
        MeshGraph graph;
        QSignalSpy spy(&graph, &MeshGraph::changed);
        graph.apply(shop(), nullptr, {});
        QCOMPARE(spy.count(), 1);
        auto change = lastChange(spy);
        change.nodesAdded.sort();
        QCOMPARE(change.nodesAdded,
                 QStringList({"catalog.shop", "frontend.shop", "local-client.meshscope-local"}));
        QCOMPARE(change.edgesAdded.size(), 2);
        QVERIFY(graph.edges().contains("frontend.shop>catalog.shop"));
        QCOMPARE(graph.node("catalog.shop")->versions, QStringList({"v1", "v2"}));
        QCOMPARE(graph.node("local-client.meshscope-local")->kind,
                 meshscope::models::GraphNode::Kind::Client);
    }

    void theSameSnapshotAgainChangesNothingAndSaysNothing()
    {
        MeshGraph graph;
        graph.apply(shop(), nullptr, {});
        QSignalSpy spy(&graph, &MeshGraph::changed);
        graph.apply(shop(), nullptr, {});
        QCOMPARE(spy.count(), 0);
    }

    void newFiguresChangeOnlyWhatTheyTouch()
    {
        MeshGraph graph;
        graph.apply(shop(1.0), nullptr, {});
        QSignalSpy spy(&graph, &MeshGraph::changed);
        graph.apply(shop(0.9), nullptr, {});
        const auto change = lastChange(spy);
        QVERIFY(!change.structural());
        QCOMPARE(change.nodesChanged, QStringList({"catalog.shop"}));
        QCOMPARE(change.edgesChanged, QStringList({"frontend.shop>catalog.shop"}));
        QCOMPARE(graph.node("catalog.shop")->health, Health::Failing); // 90 % < 95 %
        QCOMPARE(graph.node("frontend.shop")->health, Health::Healthy);
    }

    void anUnknownNameStaysVisibleAndGoesAway()
    {
        MeshGraph graph;
        graph.apply(shop(), nullptr, {});
        QSignalSpy spy(&graph, &MeshGraph::changed);
        graph.apply(shop(1.0, true), nullptr, {});
        auto change = lastChange(spy);
        QCOMPARE(change.nodesAdded, QStringList({"catalgo.shop"}));
        QCOMPARE(change.edgesAdded, QStringList({"frontend.shop>catalgo.shop"}));
        QCOMPARE(graph.node("catalgo.shop")->kind, meshscope::models::GraphNode::Kind::Unknown);
        QCOMPARE(graph.edges().value("frontend.shop>catalgo.shop").health, Health::Failing);
        graph.apply(shop(), nullptr, {});
        change = lastChange(spy);
        QCOMPARE(change.nodesRemoved, QStringList({"catalgo.shop"}));
        QCOMPARE(change.edgesRemoved, QStringList({"frontend.shop>catalgo.shop"}));
    }

    void aFailingCheckMarksTheServiceOfThePodItNames()
    {
        MeshGraph graph;
        auto checks = std::make_shared<ChecksReport>();
        checks->status = meshcore::admin::CheckInfo::Status::Fail;
        using meshcore::admin::CheckInfo;
        checks->checks.push_back(CheckInfo {.name = "crash-loops",
                                            .title = "no supervised process is crash-looping",
                                            .status = CheckInfo::Status::Fail,
                                            .message = "catalog-v2-0 has restarted 5 times",
                                            .hint = "read its log",
                                            .subjects = {"catalog-v2-0"}});
        checks->checks.push_back(CheckInfo {.name = "certificates",
                                            .title = "certificates",
                                            .status = CheckInfo::Status::Pass,
                                            .message = "",
                                            .hint = "",
                                            .subjects = {}});
        graph.apply(shop(), checks, {{"catalog-v2-0", "catalog.shop"}});
        const auto *catalog = graph.node("catalog.shop");
        QCOMPARE(catalog->health, Health::Failing);
        QCOMPARE(catalog->problems.size(), 1);
        QVERIFY(catalog->problems.first().contains("catalog-v2-0 has restarted 5 times"));
        QVERIFY(graph.node("frontend.shop")->problems.isEmpty());
    }

    // A split's weights are the node's: a new weight is a changed node (the card's shares),
    // nothing else changes.
    void aSplitWeightChangeIsANodeChange()
    {
        MeshGraph graph;
        const auto split = [](unsigned v1, unsigned v2) {
            return std::make_shared<std::vector<meshcore::admin::SplitInfo>>(
                std::vector<meshcore::admin::SplitInfo> {
                    {.service = "catalog",
                     .ns = "shop",
                     .backends
                     = {{.version = "v1", .weight = v1}, {.version = "v2", .weight = v2}}}});
        };
        graph.apply(shop(), nullptr, {}, nullptr, split(90, 10));
        const auto *catalog = graph.node(QStringLiteral("catalog.shop"));
        QVERIFY(catalog);
        QCOMPARE(catalog->split.size(), 2);
        QCOMPARE(catalog->split[1].weight, 10u);
        QCOMPARE(meshscope::models::splitText(catalog->split), QStringLiteral("v1 90 % · v2 10 %"));
        QSignalSpy spy(&graph, &MeshGraph::changed);
        graph.apply(shop(), nullptr, {}, nullptr, split(90, 10));
        QCOMPARE(spy.size(), 0); // the same weights: nothing to say
        graph.apply(shop(), nullptr, {}, nullptr, split(50, 50));
        QCOMPARE(spy.size(), 1);
        const auto change = spy.first().first().value<GraphChange>();
        QCOMPARE(change.nodesChanged, QStringList {QStringLiteral("catalog.shop")});
        QVERIFY(!change.structural());
        QCOMPARE(meshscope::models::splitText(graph.node(QStringLiteral("catalog.shop"))->split),
                 QStringLiteral("v1 50 % · v2 50 %"));
        graph.apply(shop(), nullptr, {}); // the split gone
        QVERIFY(graph.node(QStringLiteral("catalog.shop"))->split.isEmpty());
    }

    void thresholdsRecolourWithoutANewSnapshot()
    {
        MeshGraph graph;
        graph.apply(shop(0.97), nullptr, {});
        QCOMPARE(graph.node("catalog.shop")->health, Health::Warning);
        QSignalSpy spy(&graph, &MeshGraph::changed);
        graph.setThresholds({0.9, 0.5});
        QCOMPARE(spy.count(), 1);
        QCOMPARE(graph.node("catalog.shop")->health, Health::Healthy);
    }
};

QTEST_GUILESS_MAIN(TestMeshGraph)
#include "tst_mesh_graph.moc"
