// The laid-out topology never misleads: no edge runs through a card it does not connect, no label
// covers a card, on the demo mesh and on the 1,000-service benchmark mesh, whatever the shape
// of the window; back edges go around; namespaces get boxes around their own cards only.
#include <QTest>

#include "bench/synthetic_mesh.h"
#include "models/mesh_graph.h"
#include "tests/ui/demo_topology.h"
#include "tests/ui/graph_geometry.h"
#include "ui/topology/topology_scene.h"

using meshscope::models::MeshGraph;
using meshscope::ui::TopologyScene;

namespace {

struct Picture {
    MeshGraph graph;
    TopologyScene scene {&graph};
    // A view of `canvas` pixels: the layout follows its shape and leaves the labels the room
    // the names let them have.
    explicit Picture(const QSizeF &canvas = QSizeF(1600, 900))
    {
        scene.setCanvas(canvas);
        QObject::connect(&graph, &MeshGraph::changed, &scene, &TopologyScene::applyChange);
    }
    QStringList nodes() const { return graph.nodes().keys(); }
    QStringList edges() const { return graph.edges().keys(); }
    QStringList crossings() const { return meshscope::testing::crossings(scene, nodes(), edges()); }
};

std::shared_ptr<meshcore::admin::Topology> cyclic()
{
    auto t = meshscope::testing::demoTopology();
    auto back = t->edges.back();
    back.sourceService = "inventory"; // inventory calls back to frontend, pricing to itself
    back.destinationService = "frontend";
    t->edges.push_back(back);
    back.sourceService = "pricing";
    back.destinationService = "pricing";
    t->edges.push_back(back);
    return t;
}

} // namespace

class TopologyLayoutTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void noEdgeCrossesACardAndNoLabelCoversOne_data()
    {
        QTest::addColumn<int>("services"); // 0: the demo mesh
        QTest::addColumn<int>("edges");
        QTest::addColumn<QSizeF>("canvas");
        QTest::newRow("demo, 16:9") << 0 << 0 << QSizeF(1600, 900);
        QTest::newRow("demo, 16:10") << 0 << 0 << QSizeF(1600, 1000);
        QTest::newRow("demo, tall") << 0 << 0 << QSizeF(800, 1000);
        QTest::newRow("demo, labels on one line") << 0 << 0 << QSizeF(960, 520);
        QTest::newRow("demo, no labels") << 0 << 0 << QSizeF(700, 415);
        QTest::newRow("120 services, folded, 16:9") << 120 << 360 << QSizeF(1600, 900);
        QTest::newRow("120 services, folded, 4:3") << 120 << 360 << QSizeF(1200, 900);
        QTest::newRow("120 services, small") << 120 << 360 << QSizeF(700, 415);
        QTest::newRow("benchmark, 1000 services") << 1000 << 3000 << QSizeF(1600, 900);
    }
    void noEdgeCrossesACardAndNoLabelCoversOne()
    {
        QFETCH(int, services);
        QFETCH(int, edges);
        QFETCH(QSizeF, canvas);
        Picture picture(canvas);
        picture.graph.apply(services == 0
                                ? meshscope::testing::demoTopology()
                                : meshscope::bench::syntheticMesh(services, edges, 1, 0.995),
                            nullptr, {});
        QVERIFY(picture.scene.edgeCount() > 0);
        const QStringList crossings = picture.crossings();
        QVERIFY2(crossings.isEmpty(), qPrintable(crossings.mid(0, 10).join(QStringLiteral("; "))));
        int labelled = 0;
        for (const auto &key : picture.edges())
            labelled += picture.scene.edgeItem(key)->labelRect().isEmpty() ? 0 : 1;
        if (services == 0 && picture.scene.labelRoom() != TopologyScene::LabelRoom::None)
            QCOMPARE(labelled, picture.scene.edgeCount()); // every edge of the demo has its label
    }

    // At a small window the labels give way (to one line, then to none) before the names do:
    // the fitted view then shows every card's name whole, narrowed by a quarter at most.
    void theLabelsGiveWayBeforeTheNames()
    {
        using Room = TopologyScene::LabelRoom;
        const QList<std::pair<QSizeF, Room>> cases = {{QSizeF(1600, 900), Room::Full},
                                                      {QSizeF(960, 520), Room::OneLine},
                                                      {QSizeF(700, 415), Room::None}};
        for (const auto &[canvas, room] : cases) {
            Picture picture(canvas);
            picture.graph.apply(meshscope::testing::demoTopology(), nullptr, {});
            const double fitted
                = TopologyScene::fittedScale(picture.scene.sceneRect().size(), canvas);
            QVERIFY2(fitted >= picture.scene.readableZoom(),
                     qPrintable(
                         QStringLiteral("%1 < %2").arg(fitted).arg(picture.scene.readableZoom())));
            QCOMPARE(picture.scene.labelRoom(), room);
        }
        // Wider again: the labels come back (the view relays out when setCanvas says so).
        Picture picture(QSizeF(700, 415));
        picture.graph.apply(meshscope::testing::demoTopology(), nullptr, {});
        QVERIFY(!picture.scene.setCanvas(QSizeF(690, 410))); // the same room: nothing to do
        QVERIFY(picture.scene.setCanvas(QSizeF(1600, 900)));
        picture.scene.relayout();
        QCOMPARE(picture.scene.labelRoom(), Room::Full);
        // Too large to read whole at any room (the benchmark's mesh, 120 services in a large
        // window): the labels keep theirs, for zooming in.
        Picture large(QSizeF(700, 415));
        large.graph.apply(meshscope::bench::syntheticMesh(1000, 3000, 1, 0.995), nullptr, {});
        QCOMPARE(large.scene.labelRoom(), Room::Full);
        Picture middle(QSizeF(1600, 900));
        middle.graph.apply(meshscope::bench::syntheticMesh(120, 360, 1, 0.995), nullptr, {});
        QCOMPARE(middle.scene.labelRoom(), Room::Full);
    }

    // A card the user dragged far away widens the picture: the room is chosen for it too.
    void theRoomCountsTheCardsTheUserPlaced()
    {
        const QSizeF canvas(700, 415);
        Picture picture(canvas);
        picture.graph.apply(meshscope::testing::demoTopology(), nullptr, {});
        auto *inventory = picture.scene.nodeItem(QStringLiteral("inventory.shop"));
        QVERIFY(inventory);
        inventory->setPos(inventory->pos() + QPointF(600, 300));
        inventory->setPinned(true);
        picture.scene.relayout();
        const double fitted = TopologyScene::fittedScale(picture.scene.sceneRect().size(), canvas);
        QVERIFY(picture.scene.labelRoom() == TopologyScene::LabelRoom::Full
                || fitted >= picture.scene.readableZoom());
        QCOMPARE(picture.scene.labelRoom(), TopologyScene::LabelRoom::Full); // none reads now
    }

    // Main drew each edge as one curve between its ends: the check sees that crossing cards.
    void theCheckSeesEdgesDrawnStraightThroughCards()
    {
        Picture picture;
        picture.graph.apply(meshscope::bench::syntheticMesh(120, 360, 1, 0.995), nullptr, {});
        QVERIFY(picture.crossings().isEmpty());
        for (const auto &key : picture.edges())
            picture.scene.edgeItem(key)->adjust(); // the direct curve, as a dragged node gets
        QVERIFY(!picture.crossings().isEmpty());
    }

    void backEdgesAndLoopsGoAroundTheCards()
    {
        Picture picture;
        picture.graph.apply(cyclic(), nullptr, {});
        const QStringList crossings = picture.crossings();
        QVERIFY2(crossings.isEmpty(), qPrintable(crossings.join(QStringLiteral("; "))));
        const auto *back = picture.scene.edgeItem(QStringLiteral("inventory.shop>frontend.shop"));
        QVERIFY(back);
        double lowestCard = -1e9;
        for (const auto &key : picture.nodes())
            lowestCard = std::max(lowestCard,
                                  picture.scene.nodeItem(key)->pos().y()
                                      + meshscope::ui::NodeItem::Height);
        QVERIFY(back->route().boundingRect().bottom() > lowestCard); // below every card
    }

    void eachNamespaceGetsBoxesAroundItsOwnCards()
    {
        auto topology = meshscope::testing::demoTopology();
        for (auto &service : topology->services)
            if (service.name == "payments" || service.name == "pricing")
                service.ns = "billing";
        for (auto &edge : topology->edges)
            if (edge.destinationService == "payments" || edge.destinationService == "pricing")
                edge.destinationNs = "billing";
        Picture single;
        single.graph.apply(meshscope::testing::demoTopology(), nullptr, {});
        QVERIFY(single.scene.namespaceBoxes().empty()); // one namespace: no boxes
        Picture picture;
        picture.graph.apply(topology, nullptr, {});
        const auto &boxes = picture.scene.namespaceBoxes();
        QVERIFY(!boxes.empty());
        for (const auto &key : picture.nodes()) {
            const auto *node = picture.scene.nodeItem(key);
            if (node->node().kind != meshscope::models::GraphNode::Kind::Service)
                continue;
            const QRectF card(
                node->pos(),
                QSizeF(meshscope::ui::NodeItem::Width, meshscope::ui::NodeItem::Height));
            int own = 0;
            for (const auto &box : boxes) {
                if (box.ns == node->node().ns && box.rect.contains(card))
                    ++own;
                QVERIFY2(box.ns == node->node().ns || !box.rect.intersects(card),
                         qPrintable(box.ns + QStringLiteral(" covers ") + key));
            }
            QCOMPARE(own, 1);
        }
        QVERIFY(picture.crossings().isEmpty());
    }

    void theSamePictureEveryTime()
    {
        Picture a;
        Picture b;
        a.graph.apply(meshscope::bench::syntheticMesh(120, 360, 1, 0.995), nullptr, {});
        b.graph.apply(meshscope::bench::syntheticMesh(120, 360, 1, 0.995), nullptr, {});
        for (const auto &key : a.edges())
            QCOMPARE(a.scene.edgeItem(key)->route(), b.scene.edgeItem(key)->route());
    }
};

QTEST_MAIN(TopologyLayoutTest)
#include "tst_topology_layout.moc"
