// The topology on screen: fitted to the window's width and height, names readable at every zoom
// that shows cards, edges clickable, keyboard between nodes, the stale state, palette changes,
// splits on the cards. Set MESHSCOPE_GRAPH_SHOTS to a folder to keep the pictures.
#include <QApplication>
#include <QPalette>
#include <QSignalSpy>
#include <QTest>

#include "models/mesh_graph.h"
#include "tests/ui/demo_topology.h"
#include "ui/topology/edge_item.h"
#include "ui/topology/node_item.h"
#include "ui/topology/topology_scene.h"
#include "ui/topology/topology_style.h"
#include "ui/topology/topology_view.h"

using meshscope::models::MeshGraph;
using meshscope::ui::TopologyScene;
using meshscope::ui::TopologyView;

namespace {

struct Window {
    MeshGraph graph;
    TopologyScene scene {&graph};
    TopologyView view {&scene};
    bool exposed = false;
    explicit Window(QSize size = QSize(1280, 720))
    {
        QObject::connect(&graph, &MeshGraph::changed, &scene, &TopologyScene::applyChange);
        view.resize(size);
        view.show();
        exposed = QTest::qWaitForWindowExposed(&view);
        graph.apply(meshscope::testing::demoTopology(), nullptr, {});
        QCoreApplication::processEvents();
    }
    void keep(const QString &name)
    {
        const QString folder = qEnvironmentVariable("MESHSCOPE_GRAPH_SHOTS");
        if (!folder.isEmpty())
            view.grab().save(folder + QStringLiteral("/graph-") + name + QStringLiteral(".png"));
    }
};

} // namespace

class TopologyViewTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void theFittedDemoFillsTheWindow_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::newRow("1600x1000") << QSize(1600, 1000);
        QTest::newRow("1280x720") << QSize(1280, 720);
        QTest::newRow("1024x640") << QSize(1024, 640);
    }
    void theFittedDemoFillsTheWindow()
    {
        QFETCH(QSize, size);
        Window window(size);
        window.keep(QStringLiteral("%1x%2").arg(size.width()).arg(size.height()));
        const QRectF shown
            = window.view.mapFromScene(window.scene.itemsBoundingRect()).boundingRect();
        // Bound by the width or by the height, not left in a thin band or at 1:1 in the middle.
        QVERIFY2(shown.width() > 0.85 * size.width() || shown.height() > 0.85 * size.height(),
                 qPrintable(QStringLiteral("%1x%2").arg(shown.width()).arg(shown.height())));
    }

    // At every zoom that shows cards the names are at least MinNamePixels high on screen:
    // zoomed out, a card still shows dark text where its name is.
    void namesStayReadableZoomedOut()
    {
        Window window(QSize(1024, 640));
        for (const double zoom : {1.0, 0.6, 0.4, meshscope::ui::TopologyStyle::NamesZoom}) {
            window.view.zoomTo(zoom);
            window.view.centerOn(window.scene.nodeItem(QStringLiteral("catalog.shop")));
            QCoreApplication::processEvents();
            const QImage image = window.view.grab().toImage();
            const auto *card = window.scene.nodeItem(QStringLiteral("catalog.shop"));
            const QRect name
                = window.view.mapFromScene(QRectF(card->pos() + QPointF(4, 4), QSizeF(162, 48)))
                      .boundingRect();
            int dark = 0;
            for (int y = name.top(); y <= name.bottom(); ++y)
                for (int x = name.left(); x <= name.right(); ++x)
                    dark += image.rect().contains(x, y) && qGray(image.pixel(x, y)) < 60 ? 1 : 0;
            // "catalog" at 11 px bold covers over 40 dark pixels; at 7 px it covers few.
            window.keep(QStringLiteral("zoom-%1").arg(zoom));
            QVERIFY2(dark > 40, qPrintable(QStringLiteral("zoom %1: %2").arg(zoom).arg(dark)));
        }
    }

    void theArrowKeysMoveBetweenNodesAndEnterOpensOne()
    {
        Window window;
        QSignalSpy selected(&window.scene, &TopologyScene::nodeSelected);
        QSignalSpy activated(&window.view, &TopologyView::nodeActivated);
        window.view.setFocus();
        QTest::keyClick(&window.view, Qt::Key_Right); // nothing selected: the first node
        QCOMPARE(window.scene.selectedNode(), QStringLiteral("local-client.meshscope-local"));
        QTest::keyClick(&window.view, Qt::Key_Right);
        QCOMPARE(window.scene.selectedNode(), QStringLiteral("frontend.shop"));
        QTest::keyClick(&window.view, Qt::Key_Left);
        QCOMPARE(window.scene.selectedNode(), QStringLiteral("local-client.meshscope-local"));
        QTest::keyClick(&window.view, Qt::Key_Left); // nothing further left: it stays
        QCOMPARE(window.scene.selectedNode(), QStringLiteral("local-client.meshscope-local"));
        QTest::keyClick(&window.view, Qt::Key_Right);
        QTest::keyClick(&window.view, Qt::Key_Right); // the nearest that way, then up or down
        const QString third = window.scene.selectedNode();
        QVERIFY(third == QStringLiteral("cart.shop")
                || third == QStringLiteral("recommendations.shop"));
        QTest::keyClick(&window.view,
                        third == QStringLiteral("cart.shop") ? Qt::Key_Down : Qt::Key_Up);
        QCOMPARE(window.scene.selectedNode(),
                 third == QStringLiteral("cart.shop") ? QStringLiteral("recommendations.shop")
                                                      : QStringLiteral("cart.shop"));
        QTest::keyClick(&window.view, Qt::Key_Return);
        QCOMPARE(activated.size(), 1);
        QCOMPARE(activated.last().first().toString(), window.scene.selectedNode());
        QTest::keyClick(&window.view, Qt::Key_Escape);
        QCOMPARE(window.scene.selectedNode(), QString());
        QCOMPARE(selected.last().first().toString(), QString());
    }

    // A click on an edge's label selects the edge, and only it; a click on a card the node.
    void edgesAreClickedOnTheirLabelAndSelectedAlone()
    {
        Window window;
        QSignalSpy nodes(&window.scene, &TopologyScene::nodeSelected);
        QSignalSpy edges(&window.scene, &TopologyScene::edgeSelected);
        const QString key = QStringLiteral("cart.shop>pricing.shop");
        window.scene.selectNode(QStringLiteral("cart.shop"));
        QCOMPARE(nodes.last().first().toString(), QStringLiteral("cart.shop"));
        const auto *edge = window.scene.edgeItem(key);
        QVERIFY(!edge->labelRect().isEmpty());
        const QPoint label = window.view.mapFromScene(edge->labelRect().center());
        QTest::mouseClick(window.view.viewport(), Qt::LeftButton, {}, label);
        QCOMPARE(window.scene.selectedEdge(), key);
        QCOMPARE(edges.last().first().toString(), key);
        QCOMPARE(window.scene.selectedNode(), QString());
        QCOMPARE(nodes.last().first().toString(), QString()); // told the node went
        // The tooltip's item is there too: the edge under its label.
        bool underLabel = false;
        for (auto *item : window.view.items(label))
            underLabel = underLabel || item == edge;
        QVERIFY(underLabel);
        const auto *card = window.scene.nodeItem(QStringLiteral("payments.shop"));
        QTest::mouseClick(window.view.viewport(), Qt::LeftButton, {},
                          window.view.mapFromScene(card->sceneBoundingRect().center()));
        QCOMPARE(window.scene.selectedNode(), QStringLiteral("payments.shop"));
        QCOMPARE(window.scene.selectedEdge(), QString());
        QCOMPARE(edges.last().first().toString(), QString());
        window.scene.selectEdge(key);
        QCOMPARE(window.scene.selectedEdge(), key);
        QCOMPARE(window.scene.selectedNode(), QString());
        window.keep(QStringLiteral("selected-edge"));
        window.scene.selectEdge(QString());
        QCOMPARE(window.scene.selectedEdge(), QString());
    }

    void staleGreysEverythingAndStopsTheDots()
    {
        Window window;
        QVERIFY(window.scene.dotsRunning());
        window.scene.setStale(true);
        QVERIFY(window.scene.stale());
        QVERIFY(!window.scene.dotsRunning());
        for (const auto &key : window.graph.nodes().keys())
            QVERIFY(window.scene.nodeItem(key)->stale());
        for (const auto &key : window.graph.edges().keys()) {
            QVERIFY(window.scene.edgeItem(key)->stale());
            QVERIFY(!window.scene.edgeItem(key)->animated());
        }
        window.keep(QStringLiteral("stale"));
        // A new node while stale is greyed too; then everything comes back.
        window.scene.setStale(false);
        QVERIFY(window.scene.dotsRunning());
        for (const auto &key : window.graph.nodes().keys())
            QVERIFY(!window.scene.nodeItem(key)->stale());
        QVERIFY(window.scene.edgeItem(QStringLiteral("cart.shop>pricing.shop"))->animated());
    }

    // Dark to light: the cards follow the palette (they used to stay dark).
    void aPaletteChangeRecoloursTheCards()
    {
        const QPalette original = QApplication::palette();
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x20, 0x21, 0x24));
        dark.setColor(QPalette::Base, QColor(0x18, 0x19, 0x1b));
        dark.setColor(QPalette::Text, QColor(0xe8, 0xea, 0xed));
        QApplication::setPalette(dark);
        Window window;
        const auto cardColour = [&] {
            const auto *card = window.scene.nodeItem(QStringLiteral("payments.shop"));
            const QPoint inside = window.view.mapFromScene(card->pos() + QPointF(150, 48));
            return QColor(window.view.grab().toImage().pixel(inside));
        };
        QVERIFY2(qGray(cardColour().rgb()) < 80, qPrintable(cardColour().name()));
        QApplication::setPalette(original);
        QCoreApplication::processEvents();
        QVERIFY2(qGray(cardColour().rgb()) > 170, qPrintable(cardColour().name()));
    }

    // The configured split on the card, and a new weight there within the next poll.
    void theCardShowsTheSplitAndFollowsItsWeights()
    {
        Window window;
        const auto split = [](unsigned v1, unsigned v2) {
            return std::make_shared<std::vector<meshcore::admin::SplitInfo>>(
                std::vector<meshcore::admin::SplitInfo> {
                    {.service = "recommendations",
                     .ns = "shop",
                     .backends
                     = {{.version = "v1", .weight = v1}, {.version = "v2", .weight = v2}}}});
        };
        const auto *card = window.scene.nodeItem(QStringLiteral("recommendations.shop"));
        QCOMPARE(card->detailText(), QStringLiteral("v1 90 % · v2 10 %")); // observed
        window.graph.apply(meshscope::testing::demoTopology(0.25), nullptr, {});
        QCOMPARE(card->detailText(), QStringLiteral("v1 75 % · v2 25 %"));
        window.graph.apply(meshscope::testing::demoTopology(), nullptr, {});
        window.graph.apply(meshscope::testing::demoTopology(), nullptr, {}, nullptr, split(50, 50));
        QCOMPARE(card->detailText(), QStringLiteral("v1 50 % · v2 50 %"));
        window.keep(QStringLiteral("split-50-50"));
        window.graph.apply(meshscope::testing::demoTopology(), nullptr, {}, nullptr, split(70, 30));
        QCOMPARE(card->detailText(), QStringLiteral("v1 70 % · v2 30 %"));
        const auto *edge
            = window.scene.edgeItem(QStringLiteral("frontend.shop>recommendations.shop"));
        QVERIFY(edge->toolTipText().contains(QStringLiteral("v1 70 % · v2 30 %")));
        QVERIFY(edge->labelLines().contains(QStringLiteral("v2 10.0 %"))); // observed on the edge
    }
};

QTEST_MAIN(TopologyViewTest)
#include "tst_topology_view.moc"
