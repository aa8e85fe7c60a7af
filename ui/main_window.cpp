#include "ui/main_window.h"

#include <QApplication>
#include <QCloseEvent>
#include <QCompleter>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStringListModel>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

#include "models/certificates_model.h"
#include "models/checks_model.h"
#include "models/events_model.h"
#include "models/explorer_models.h"
#include "models/mesh_graph.h"
#include "ui/certificates_view.h"
#include "ui/charts/history_charts.h"
#include "ui/colour_scheme.h"
#include "ui/connection_banner.h"
#include "ui/connection_indicator.h"
#include "ui/edge_panel.h"
#include "ui/mesh_overview_page.h"
#include "ui/overview_panel.h"
#include "ui/rollouts/rollout_cockpit.h"
#include "ui/service_panel.h"
#include "ui/settings_keys.h"
#include "ui/side_panel.h"
#include "ui/table_views.h"
#include "ui/tap_view.h"
#include "ui/topology/topology_scene.h"
#include "ui/topology/topology_style.h"
#include "ui/topology/topology_view.h"

namespace meshscope::ui {

MainWindow::MainWindow(models::MeshConnection *connection, models::ExplorerModels *models,
                       QWidget *parent)
    : QMainWindow(parent)
    , m_connection(connection)
    , m_models(models)
    , m_scene(new TopologyScene(models->graph(), this))
    , m_view(new TopologyView(m_scene))
    , m_side(new SidePanel(models))
    , m_certificates(new CertificatesView(models))
    , m_tap(new TapView(models->tapStream(), models->tap()))
    , m_rollouts(new RolloutCockpit(models))
    , m_central(new QStackedWidget(this))
    , m_waiting(new OverviewPanel(this))
    , m_noMeshd(new ConnectionBanner(connection, true, this))
    , m_details(new OverviewPanel(this))
    , m_banner(new ConnectionBanner(connection, false, this))
    , m_find(new QLineEdit(this))
    , m_tabs(new QTabWidget(this))
    , m_indicator(new ConnectionIndicator(this))
    , m_meshLabel(new QLabel(this))
{
    setWindowTitle(tr("Meshscope"));
    setObjectName(QStringLiteral("MainWindow"));
    connect(models->graph(), &models::MeshGraph::changed, m_scene, &TopologyScene::applyChange);
    connect(m_scene, &TopologyScene::nodeSelected, this, &MainWindow::onNodeSelected);
    connect(m_side->service(), &ServicePanel::splitRequested, m_connection,
            &models::MeshConnection::applySplit);
    connect(m_side->service(), &ServicePanel::rolloutRequested, this,
            &MainWindow::openRolloutWizard);
    connect(m_side->overview(), &MeshOverviewPage::serviceActivated, this,
            &MainWindow::selectService);
    connect(m_side->edge(), &EdgePanel::serviceRequested, this, &MainWindow::selectService);
    connect(m_scene, &TopologyScene::edgeSelected, this, &MainWindow::onEdgeSelected);
    connect(m_view, &TopologyView::nodeActivated, this, [this](const QString &key) {
        onNodeSelected(key);
        m_sideDock->show();
        m_sideDock->raise();
    });
    // One range for the service's and the edge's charts; the polls fetch that much history.
    for (auto *charts : {m_side->service()->charts(), m_side->edge()->charts()})
        connect(charts, &HistoryCharts::rangeChanged, this, [this](int seconds) {
            m_side->service()->charts()->setRangeSeconds(seconds);
            m_side->edge()->charts()->setRangeSeconds(seconds);
            m_connection->setHistoryRange(seconds);
        });
    for (auto *banner : {m_banner, m_noMeshd}) {
        connect(banner, &ConnectionBanner::retryRequested, m_connection,
                &models::MeshConnection::retry);
        connect(banner, &ConnectionBanner::settingsRequested, this, &MainWindow::openSettings);
    }
    connect(m_view, &TopologyView::nodeMenuRequested, this, &MainWindow::showNodeMenu);
    connect(m_rollouts, &RolloutCockpit::startRequested, this, &MainWindow::openRolloutWizard);
    connect(m_rollouts, &RolloutCockpit::actionRequested, m_connection,
            &models::MeshConnection::rolloutAction);
    connect(m_rollouts, &RolloutCockpit::faultRequested, m_connection,
            &models::MeshConnection::setFault);
    connect(m_certificates, &CertificatesView::rotateIssuerRequested, m_connection,
            &models::MeshConnection::rotateIssuer);
    connect(m_certificates, &CertificatesView::rotateAnchorRequested, m_connection,
            &models::MeshConnection::rotateAnchor);
    m_central->addWidget(m_waiting);
    m_central->addWidget(createCentre());
    m_central->addWidget(m_noMeshd);
    setCentralWidget(m_central);
    createSideDock();
    createTabs();
    statusBar()->addWidget(m_indicator, 1);
    statusBar()->addPermanentWidget(m_meshLabel);
    m_meshLabel->setToolTip(tr("The mesh this meshd runs"));
    createActions();
    restoreSettings();

    connect(m_connection, &models::MeshConnection::stateChanged, this, &MainWindow::onStateChanged);
    connect(m_models, &models::ExplorerModels::applied, this, &MainWindow::onSnapshot);
    connect(m_connection, &models::MeshConnection::actionFinished, this,
            &MainWindow::onActionFinished);
    onStateChanged(m_connection->state(), m_connection->statusText());
}

MainWindow::~MainWindow()
{
    // The scene outlives this class's part of the object (it is a child): its items going away
    // must not call back into a half-destroyed window.
    disconnect(m_scene, nullptr, this, nullptr);
    disconnect(m_models->graph(), nullptr, m_scene, nullptr);
}

// The middle: the topology, with a banner above it when meshd stops answering, and the tabs below.
QWidget *MainWindow::createCentre()
{
    m_view->setEmptyText(
        tr("meshd answers, but its mesh has no services yet.\n\nAdd services to its configuration "
           "file (docs/config.md); meshd applies the file as soon as it is saved."));
    auto *page = new QWidget(this);
    auto *pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(0, 0, 0, 0);
    pageLayout->setSpacing(0);
    m_banner->hide();
    pageLayout->addWidget(m_banner);
    // The topology above, checks/certificates/tap/events/meshd below it, most room for the graph.
    m_split = new QSplitter(Qt::Vertical, page);
    m_split->addWidget(m_view);
    m_split->addWidget(m_tabs);
    m_split->setStretchFactor(0, 4);
    m_split->setStretchFactor(1, 1);
    m_split->setSizes({720, 190});
    pageLayout->addWidget(m_split);
    return page;
}

// The overview, the selected service or the selected edge, on the right: closed from its title
// bar or View > Side Panel, back from the same menu or by selecting something.
void MainWindow::createSideDock()
{
    m_side->setMinimumWidth(280); // the figures wrap, the tables choose their columns
    m_sideDock = new QDockWidget(m_side->title(), this);
    m_sideDock->setObjectName(QStringLiteral("ServiceDock")); // the name saved layouts know
    m_sideDock->setWidget(m_side);
    addDockWidget(Qt::RightDockWidgetArea, m_sideDock);
    connect(m_side, &SidePanel::pageChanged, this,
            [this] { m_sideDock->setWindowTitle(m_side->title()); });
}

ServicePanel *MainWindow::servicePanel() const
{
    return m_side->service();
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    m_models->graph()->setThresholds({settings.value(settings_keys::WarnBelow, 0.99).toDouble(),
                                      settings.value(settings_keys::FailBelow, 0.95).toDouble()});
    if (!restoreGeometry(settings.value(settings_keys::Geometry).toByteArray()))
        resize(1600, 1000);
    m_split->restoreState(settings.value(settings_keys::Split).toByteArray());
    if (!restoreState(settings.value(settings_keys::WindowState).toByteArray())) {
        // First start: most of the window for the graph (sizes apply once the window is laid out).
        QTimer::singleShot(0, this, [this] {
            resizeDocks({m_sideDock}, {firstSidePanelWidth(width())}, Qt::Horizontal);
        });
    }
}

void MainWindow::selectService(const QString &key)
{
    if (m_scene->nodeItem(key))
        m_view->focusNode(key);
    else
        m_pendingSelection = key;
}

void MainWindow::selectEdge(const QString &key)
{
    m_scene->selectEdge(key);
}

void MainWindow::onNodeSelected(const QString &key)
{
    // An empty selection (a click on the background, the start of a pan) keeps the panel: it is
    // what one looks at. Escape and View > Overview go back to the overview.
    if (key.isEmpty())
        return;
    m_sideDock->show(); // a closed panel comes back with what was selected
    if (key == m_models->service())
        return;
    m_haveHistory = false;
    m_models->setService(key);
    m_connection->setFocus(key);
}

void MainWindow::onEdgeSelected(const QString &key)
{
    if (key.isEmpty())
        return;
    m_sideDock->show();
    if (key == m_models->edge())
        return;
    m_haveHistory = false;
    m_models->setEdge(key);
    m_connection->setFocus(key);
}

void MainWindow::showOverview()
{
    m_scene->clearSelection();
    m_models->setService({});
    m_models->setEdge({});
    m_connection->setFocus({});
    m_sideDock->show();
}

void MainWindow::onStateChanged(models::MeshConnection::State state, const QString &text)
{
    using State = models::MeshConnection::State;
    m_indicator->setState(state, text);
    m_waiting->showState(state, text);
    const bool connected = state == State::Connected;
    const bool failed = state == State::Disconnected || state == State::Idle;
    if (connected) {
        m_banner->hide();
    } else if (failed) {
        // Keep the last picture, say clearly that it is old, and keep trying.
        m_banner->showProblem(text, m_everConnected ? m_lastData : QDateTime());
        m_noMeshd->showProblem(text, QDateTime());
        m_banner->setVisible(m_everConnected);
    }
    setStale(m_everConnected && !connected);
    m_central->setCurrentIndex(m_everConnected ? 1 : failed ? 2 : 0);
}

void MainWindow::setStale(bool stale)
{
    if (stale == m_stale)
        return;
    m_stale = stale;
    m_scene->setStale(stale);
    m_side->setStale(stale ? m_lastData : QDateTime());
    // Checks and certificates say what meshd said then, not now: greyed until it answers again.
    for (const auto &tab : m_tabList)
        if (tab.widget != m_tap)
            tab.page->setEnabled(!stale);
}

// A poll is in every model (the views refreshed themselves): what the window says about it.
void MainWindow::onSnapshot(const models::PollResultPtr &result)
{
    m_everConnected = true;
    m_lastData = result->at;
    m_central->setCurrentIndex(1);
    const QString mesh = QString::fromStdString(result->info.mesh);
    setWindowTitle(tr("%1 — Meshscope").arg(mesh));
    m_meshLabel->setText(tr("mesh: %1").arg(mesh));
    m_details->showSnapshot(result, m_connection->startedMeshd());
    const auto *graph = m_models->graph();
    if (auto *completer = m_find->completer())
        if (auto *names = qobject_cast<QStringListModel *>(completer->model());
            names && names->rowCount() != graph->nodes().size())
            names->setStringList(graph->nodes().keys());
    if (!m_pendingSelection.isEmpty() && m_scene->nodeItem(m_pendingSelection)) {
        m_view->focusNode(m_pendingSelection);
        m_pendingSelection.clear();
    }
    if (QString::fromStdString(result->focus) == m_models->service() && result->history)
        m_haveHistory = true;
    updateTabTitles();
    Q_EMIT snapshotShown();
}

bool MainWindow::readyForScreenshot() const
{
    if (!m_everConnected)
        return false;
    const auto *graph = m_models->graph();
    bool traffic = graph->nodes().isEmpty();
    for (const auto &edge : graph->edges())
        traffic = traffic || edge.traffic.requests > 0;
    return traffic && (m_models->service().isEmpty() || m_haveHistory);
}

void MainWindow::changeEvent(QEvent *event)
{
    // The system went light or dark: the graph's and the banners' colours follow.
    if (event->type() == QEvent::PaletteChange) {
        TopologyStyle::refresh();
        m_scene->update();
        m_banner->refreshColours();
        m_certificates->refreshColours();
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    QSettings settings;
    settings.setValue(settings_keys::Geometry, saveGeometry());
    settings.setValue(settings_keys::WindowState, saveState());
    settings.setValue(settings_keys::Split, m_split->saveState());
    event->accept();
}

} // namespace meshscope::ui
