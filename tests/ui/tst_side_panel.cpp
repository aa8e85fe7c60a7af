// The side panel and the window's honest states, offscreen against a real demo meshd: the
// overview's services table, an edge's panel, the panel closed and brought back from the View
// menu, the disconnected state (greyed graph, stopped dots, Retry), a start with no meshd, and
// Help > Documentation.
#include <QAction>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QGraphicsView>
#include <QHeaderView>
#include <QMenuBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "models/edge_versions_model.h"
#include "models/explorer_models.h"
#include "models/item_roles.h"
#include "models/mesh_graph.h"
#include "models/routes_model.h"
#include "models/services_model.h"
#include "tests/support/meshd_process.h"
#include "tests/support/temp_state.h"
#include "tests/ui/explorer_app.h"
#include "ui/charts/time_series_chart.h"
#include "ui/connection_banner.h"
#include "ui/edge_panel.h"
#include "ui/help_browser.h"
#include "ui/main_window.h"
#include "ui/mesh_overview_page.h"
#include "ui/service_panel.h"
#include "ui/side_panel.h"
#include "ui/split_editor.h"
#include "ui/topology/node_item.h"
#include "ui/topology/topology_scene.h"
#include "ui/traffic_figures.h"

using meshscope::testing::App;
using meshscope::testing::MeshdProcess;
using meshscope::testing::TempState;
using meshscope::ui::SidePanel;
using meshscope::ui::TopologyScene;

namespace {

QAction *viewAction(QMainWindow *window, const QString &text)
{
    for (auto *menu : window->menuBar()->findChildren<QMenu *>())
        for (auto *action : menu->actions())
            if (action->text() == text)
                return action;
    return nullptr;
}

// The rows' values of `column` as the view shows them (through its sorting proxy).
QList<double> sortedColumn(QTableView *table, int column)
{
    QList<double> values;
    for (int row = 0; row < table->model()->rowCount(); ++row)
        values << table->model()->index(row, column).data(meshscope::models::SortRole).toDouble();
    return values;
}

// A loopback port nothing listens on (bound, read, closed).
std::uint16_t freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    const bool bound = ::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0
        && ::getsockname(fd, reinterpret_cast<sockaddr *>(&address), &length) == 0;
    ::close(fd);
    if (!bound)
        qFatal("no free loopback port (errno %d)", errno);
    return ntohs(address.sin_port);
}

} // namespace

class TestSidePanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theOverviewListsEveryServiceAndSorts()
    {
        App app;
        QVERIFY(app.meshd);
        QVERIFY(app.waitForTheMesh());
        auto *side = app.window->sidePanel();
        QCOMPARE(side->page(), SidePanel::Page::Overview);
        QCOMPARE(app.window->sideDock()->windowTitle(), QStringLiteral("Overview"));
        auto *table = side->overview()->table();
        int services = 0;
        for (const auto &node : app.models->graph()->nodes())
            services += node.kind == meshscope::models::GraphNode::Kind::Service ? 1 : 0;
        QCOMPARE(table->model()->rowCount(), services);
        QVERIFY(
            side->overview()->summaryText().contains(QStringLiteral("%1 services").arg(services)));
        QVERIFY(side->overview()->summaryText().contains(QStringLiteral("rps")));
        QTRY_VERIFY_WITH_TIMEOUT(
            side->overview()->summaryText().contains(QStringLiteral("next certificate to expire")),
            10000);

        // A click on a column's title sorts by it, both ways.
        using Services = meshscope::models::ServicesModel;
        auto *header = table->horizontalHeader();
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                          QPoint(header->sectionViewportPosition(Services::Rate) + 5, 5));
        auto rates = sortedColumn(table, Services::Rate);
        QVERIFY(std::is_sorted(rates.begin(), rates.end()) // either direction, as the style picks
                || std::is_sorted(rates.rbegin(), rates.rend()));
        const bool ascending = std::is_sorted(rates.begin(), rates.end());
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                          QPoint(header->sectionViewportPosition(Services::Rate) + 5, 5));
        rates = sortedColumn(table, Services::Rate);
        QVERIFY(ascending ? std::is_sorted(rates.rbegin(), rates.rend())
                          : std::is_sorted(rates.begin(), rates.end()));
        QVERIFY(rates.first() != rates.last()); // the demo's services differ: the order is real

        // A click on a row selects that service.
        const QModelIndex first = table->model()->index(0, Services::Name);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(first).center());
        QCOMPARE(side->page(), SidePanel::Page::Service);
        QCOMPARE(app.window->sideDock()->windowTitle(), QStringLiteral("Service"));
        QVERIFY(!app.models->service().isEmpty());
        QCOMPARE(app.models->graph()->node(app.models->service())->name, first.data().toString());
        QCOMPARE(app.window->scene()->selectedNode(), app.models->service());
        // Escape (View > Mesh Overview) goes back.
        viewAction(app.window.get(), QStringLiteral("Mesh &Overview"))->trigger();
        QCOMPARE(side->page(), SidePanel::Page::Overview);
        QVERIFY(app.models->service().isEmpty());
    }

    void selectingAnEdgeFillsTheEdgePanel()
    {
        App app;
        QVERIFY(app.meshd);
        QVERIFY(app.waitForTheMesh());
        const QString key = QStringLiteral("frontend.shop>recommendations.shop");
        QVERIFY(app.window->scene()->edgeItem(key));
        app.window->scene()->selectEdge(key);
        auto *side = app.window->sidePanel();
        QCOMPARE(side->page(), SidePanel::Page::Edge);
        QCOMPARE(app.models->edge(), key);
        auto *panel = side->edge();
        QCOMPARE(panel->title(), QStringLiteral("frontend → recommendations"));
        QVERIFY(panel->security().contains(QStringLiteral("spiffe://")));
        QVERIFY(panel->security().contains(QStringLiteral("/sa/frontend")));
        QVERIFY(panel->security().contains(QStringLiteral("/sa/recommendations")));
        // Both versions of the callee, with the split's weights once the poll brought them.
        auto *versions = app.models->edgeVersions();
        QTRY_COMPARE_WITH_TIMEOUT(versions->rowCount(), 2, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(
            versions->index(0, meshscope::models::EdgeVersionsModel::Weight).data().toString()
                != QStringLiteral("–"),
            5000);
        // Its own history and routes (the caller's requests only).
        auto *rate = panel->findChild<meshscope::ui::TimeSeriesChart *>();
        QVERIFY(rate);
        QTRY_VERIFY_WITH_TIMEOUT(!rate->points(0).isEmpty(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(app.models->edgeRoutes()->rowCount() > 0, 5000);
        // "Open recommendations" selects the callee.
        auto *callee = panel->findChild<QPushButton *>(QStringLiteral("openCallee"));
        QVERIFY(callee && callee->isEnabled());
        callee->click();
        QCOMPARE(side->page(), SidePanel::Page::Service);
        QCOMPARE(app.models->service(), QStringLiteral("recommendations.shop"));
        QVERIFY(app.models->edge().isEmpty());
    }

    void theCardShowsANewSplitWithinAPoll()
    {
        App app;
        QVERIFY(app.meshd);
        QVERIFY(app.waitForTheMesh());
        auto *card = app.window->scene()->nodeItem(QStringLiteral("recommendations.shop"));
        QVERIFY(card);
        QTRY_VERIFY_WITH_TIMEOUT(card->detailText().contains(QStringLiteral("v1 90 %")), 5000);
        QElapsedTimer sinceChange;
        sinceChange.start();
        QVERIFY(app.admin()->setSplit("recommendations.shop", {{"v1", 50}, {"v2", 50}}));
        QTRY_VERIFY_WITH_TIMEOUT(card->detailText().contains(QStringLiteral("v1 50 % · v2 50 %")),
                                 5000);
        qInfo("the card showed the new split %lld ms after the change (polls every 300 ms)",
              static_cast<long long>(sinceChange.elapsed()));
        // The split editor says it was set at run time and that meshd keeps it.
        app.window->selectService(QStringLiteral("recommendations.shop"));
        QTRY_VERIFY_WITH_TIMEOUT(app.window->servicePanel()->m_split->note().contains(
                                     QStringLiteral("keeps it across restarts")),
                                 5000);
    }

    void theSidePanelClosesAndComesBackFromTheViewMenu()
    {
        App app;
        QVERIFY(app.meshd);
        QVERIFY(app.waitForTheMesh());
        auto *dock = app.window->sideDock();
        QAction *toggle = viewAction(app.window.get(), QStringLiteral("Side &Panel"));
        QVERIFY(toggle);
        QVERIFY(dock->isVisible());
        dock->close(); // its title bar's close button
        QVERIFY(!dock->isVisible());
        QVERIFY(!toggle->isChecked());
        toggle->trigger();
        QVERIFY(dock->isVisible());
        toggle->trigger();
        QVERIFY(!dock->isVisible());
        // Selecting a card brings it back, showing that service.
        app.window->selectService(QStringLiteral("catalog.shop"));
        QVERIFY(dock->isVisible());
        QCOMPARE(app.window->sidePanel()->page(), SidePanel::Page::Service);
        // Every tab has its entry too.
        for (const QString &text : {QStringLiteral("&Checks"), QStringLiteral("T&ap"),
                                    QStringLiteral("&Bottom Tabs"), QStringLiteral("&Topology")})
            QVERIFY2(viewAction(app.window.get(), text), qPrintable(text));
    }

    // At 1024x640 with the panel open, as a first start opens it: every card's name reads whole
    // in the fitted graph (the edge labels gave way), and the Service panel wraps rather than
    // scrolling sideways.
    void aSmallWindowReadsWholeAndThePanelWraps()
    {
        App app;
        QVERIFY(app.meshd);
        app.window->resize(1024, 640);
        app.window->resizeDocks({app.window->sideDock()},
                                {meshscope::ui::MainWindow::firstSidePanelWidth(1024)},
                                Qt::Horizontal);
        QVERIFY(app.waitForTheMesh());
        app.window->selectService(QStringLiteral("recommendations.shop"));
        auto *scene = app.window->scene();
        auto *view = qobject_cast<QGraphicsView *>(scene->views().value(0));
        QVERIFY(view);
        QVERIFY(QTest::qWaitFor(
            [&] {
                return view->transform().m11() >= scene->readableZoom()
                    && scene->labelRoom() != TopologyScene::LabelRoom::Full;
            },
            5000));
        auto *scroll = app.window->sidePanel()->serviceScroll();
        QVERIFY(QTest::qWaitFor(
            [&] { return scroll->widget()->width() <= scroll->viewport()->width(); }, 5000));
        const auto *figures = scroll->widget()->findChild<meshscope::ui::TrafficFigures *>();
        QVERIFY(figures);
        QCOMPARE(figures->rows(), 2);
        // Wider, the labels and the one row of figures come back.
        app.window->resize(1600, 1000);
        app.window->resizeDocks({app.window->sideDock()},
                                {meshscope::ui::MainWindow::firstSidePanelWidth(1600)},
                                Qt::Horizontal);
        QVERIFY(QTest::qWaitFor(
            [&] { return scene->labelRoom() == TopologyScene::LabelRoom::Full; }, 5000));
        QVERIFY(view->transform().m11() >= scene->readableZoom());
        QVERIFY(QTest::qWaitFor([&] { return figures->rows() == 1; }, 5000));
    }

    void disconnectedLooksDisconnectedAndRetryReconnects()
    {
        App app;
        QVERIFY(app.meshd);
        QVERIFY(app.waitForTheMesh());
        auto *scene = app.window->scene();
        QVERIFY(!scene->stale());
        QVERIFY(scene->dotsRunning());
        const QString address = app.meshd->adminAddressText();
        QCOMPARE(app.meshd->stop(SIGTERM), 0);
        QTRY_VERIFY_WITH_TIMEOUT(app.window->banner()->isVisible(), 10000);
        // One short message, the command for this address, and no raw error in it.
        const QString message = app.window->banner()->message();
        QVERIFY(message.contains(QStringLiteral("is not answering")));
        QVERIFY(message.contains(QStringLiteral("figures shown are from")));
        QVERIFY(app.window->banner()->command().contains(QStringLiteral("--admin ") + address));
        QVERIFY(scene->stale());
        QVERIFY(!scene->dotsRunning());
        QVERIFY(app.window->sidePanel()->stale());
        QVERIFY(scene->nodeCount() >= 8); // the last picture stays

        // A meshd at the same address again: Retry connects without waiting for the next poll.
        app.meshd = MeshdProcess::start(app.state.stateDirQString(),
                                        {QStringLiteral("--admin"), address});
        QVERIFY(app.meshd);
        app.window->banner()->retryButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!app.window->banner()->isVisible(), 15000);
        QVERIFY(!scene->stale());
        QVERIFY(!app.window->sidePanel()->stale());
        QVERIFY(app.waitForTheMesh());
        QTRY_VERIFY_WITH_TIMEOUT(scene->dotsRunning(), 5000);
    }

    void aStartWithNoMeshdOffersTheCommandRetryAndSettings()
    {
        TempState state;
        meshscope::models::MeshConnection::Options options;
        options.address = meshcore::Address {"127.0.0.1", freePort()};
        options.stateDir = state.stateDir();
        options.startMeshdIfAbsent = false;
        options.pollIntervalMs = 120000; // no poll of its own in the test's time: only Retry
        meshscope::models::MeshConnection connection(options);
        meshscope::models::ExplorerModels models(&connection);
        meshscope::ui::MainWindow window(&connection, &models);
        window.show();
        connection.start();
        auto *page = window.connectionPage();
        QTRY_VERIFY_WITH_TIMEOUT(page->isVisible(), 10000);
        QVERIFY(page->message().contains(QStringLiteral("is not answering")));
        QVERIFY(page->command().contains(QStringLiteral("meshd up --demo --admin ")
                                         + connection.addressText()));
        QVERIFY(page->settingsButton()->isVisible());
        // The user starts one as told, and presses Retry.
        auto meshd = MeshdProcess::start(state.stateDirQString(),
                                         {QStringLiteral("--admin"), connection.addressText()});
        QVERIFY(meshd);
        page->retryButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(!page->isVisible(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(window.windowTitle().startsWith(QStringLiteral("demo")), 10000);
        connection.shutdown();
    }

    void helpOpensTheDocumentation()
    {
        QVERIFY(!meshscope::ui::HelpBrowser::documentationDirectory().isEmpty());
        meshscope::ui::HelpBrowser help;
        help.showPage(QStringLiteral("explorer.md"));
        QVERIFY(help.isVisible());
        QVERIFY(help.browser()->toPlainText().contains(QStringLiteral("Meshscope")));
        QVERIFY(help.browser()->source().toString().endsWith(QStringLiteral("explorer.md")));
    }
};

QTEST_MAIN(TestSidePanel)
#include "tst_side_panel.moc"
