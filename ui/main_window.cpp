#include "ui/main_window.h"
#include "core/service_key.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QCompleter>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStringListModel>
#include <QTabWidget>
#include <QTimer>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include <map>

#include "core/version.h"
#include "models/checks_model.h"
#include "models/events_model.h"
#include "models/mesh_graph.h"
#include "models/certificates_model.h"
#include "ui/certificates_view.h"
#include "ui/colour_scheme.h"
#include "ui/connection_indicator.h"
#include "ui/overview_panel.h"
#include "ui/table_views.h"
#include "models/tap_stream.h"
#include "ui/service_panel.h"
#include "ui/settings_dialog.h"
#include "ui/settings_keys.h"
#include "ui/tap_view.h"
#include "ui/topology/topology_scene.h"
#include "ui/topology/topology_style.h"
#include "ui/topology/topology_view.h"

namespace meshscope::ui {

MainWindow::MainWindow(models::MeshConnection *connection, QWidget *parent)
    : QMainWindow(parent),
      m_connection(connection),
      m_graph(new models::MeshGraph(this)),
      m_checks(new models::ChecksModel(this)),
      m_events(new models::EventsModel(this)),
      m_scene(new TopologyScene(m_graph, this)),
      m_view(new TopologyView(m_scene)),
      m_panel(new ServicePanel(m_graph)),
      m_certificates(new CertificatesView),
      m_tapStream(new models::TapStream(connection->options().address, connection->options().stateDir, this)),
      m_tap(new TapView(m_tapStream)),
      m_central(new QStackedWidget(this)),
      m_waiting(new OverviewPanel(this)),
      m_details(new OverviewPanel(this)),
      m_banner(new QLabel(this)),
      m_find(new QLineEdit(this)),
      m_tabs(new QTabWidget(this)),
      m_indicator(new ConnectionIndicator(this)),
      m_meshLabel(new QLabel(this))
{
    setWindowTitle(tr("Meshscope"));
    setObjectName(QStringLiteral("MainWindow"));
    connect(m_graph, &models::MeshGraph::changed, m_scene, &TopologyScene::applyChange);
    connect(m_scene, &TopologyScene::nodeSelected, this, &MainWindow::onNodeSelected);
    connect(m_panel, &ServicePanel::splitRequested, m_connection, &models::MeshConnection::applySplit);
    connect(m_certificates, &CertificatesView::rotateIssuerRequested, m_connection, &models::MeshConnection::rotateIssuer);
    connect(m_certificates, &CertificatesView::rotateAnchorRequested, m_connection, &models::MeshConnection::rotateAnchor);
    m_view->setEmptyText(tr("meshd answers, but its mesh has no services yet.\n\nAdd services to its configuration "
                            "file (docs/config.md); meshd applies the file as soon as it is saved."));

    // The middle: the topology, with a banner above it when meshd stops answering.
    auto *page = new QWidget(this);
    auto *pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(0, 0, 0, 0);
    pageLayout->setSpacing(0);
    m_banner->setWordWrap(true);
    m_banner->setAutoFillBackground(true);
    m_banner->setMargin(8);
    colours::paintBanner(m_banner, true);
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
    m_central->addWidget(m_waiting);
    m_central->addWidget(page);
    setCentralWidget(m_central);

    // The selected service, on the right.
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_panel);
    scroll->setWidgetResizable(true);
    scroll->setMinimumWidth(420);
    auto *serviceDock = new QDockWidget(tr("Service"), this);
    serviceDock->setObjectName(QStringLiteral("ServiceDock"));
    serviceDock->setWidget(scroll);
    addDockWidget(Qt::RightDockWidgetArea, serviceDock);

    // Checks, events and meshd's details, below.
    m_tabs->addTab(sortableTable(m_checks, this), tr("Checks"));
    m_tabs->addTab(m_certificates, tr("Certificates"));
    m_tabs->addTab(m_tap, tr("Tap"));
    m_tabs->addTab(sortableTable(m_events, this), tr("Events"));
    m_tabs->addTab(m_details, tr("meshd"));

    statusBar()->addWidget(m_indicator, 1);
    statusBar()->addPermanentWidget(m_meshLabel);
    m_meshLabel->setToolTip(tr("The mesh this meshd runs"));
    createActions();

    QSettings settings;
    m_graph->setThresholds({settings.value(settings_keys::WarnBelow, 0.99).toDouble(),
                            settings.value(settings_keys::FailBelow, 0.95).toDouble()});
    if (!restoreGeometry(settings.value(settings_keys::Geometry).toByteArray()))
        resize(1600, 1000);
    m_split->restoreState(settings.value(settings_keys::Split).toByteArray());
    if (!restoreState(settings.value(settings_keys::WindowState).toByteArray())) {
        // First start: most of the window for the graph (sizes apply once the window is laid out).
        QTimer::singleShot(0, this, [this, serviceDock] { resizeDocks({serviceDock}, {460}, Qt::Horizontal); });
    }

    connect(m_connection, &models::MeshConnection::stateChanged, this, &MainWindow::onStateChanged);
    connect(m_connection, &models::MeshConnection::snapshotArrived, this, &MainWindow::onSnapshot);
    connect(m_connection, &models::MeshConnection::actionFinished, this, [this](const QString &, bool ok, const QString &message) {
        if (ok)
            statusBar()->showMessage(message, 8000);
        else
            QMessageBox::warning(this, tr("meshd refused"), message);
    });
    onStateChanged(m_connection->state(), m_connection->statusText());
}

MainWindow::~MainWindow()
{
    // The scene outlives this class's part of the object (it is a child): its items going away
    // must not call back into a half-destroyed window.
    disconnect(m_scene, nullptr, this, nullptr);
    disconnect(m_graph, nullptr, m_scene, nullptr);
}

void MainWindow::createActions()
{
    QSettings settings;
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *settingsAction = file->addAction(tr("&Settings…"), this, &MainWindow::openSettings);
    settingsAction->setShortcut(QKeySequence::Preferences);
    settingsAction->setStatusTip(tr("Connect to another meshd, or change where health turns orange and red"));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setStatusTip(tr("Quit Meshscope (and the meshd it started)"));

    auto *toolbar = addToolBar(tr("Topology"));
    toolbar->setObjectName(QStringLiteral("TopologyToolbar"));
    m_find->setPlaceholderText(tr("Find a service (Ctrl+F)"));
    m_find->setClearButtonEnabled(true);
    m_find->setMaximumWidth(280);
    m_find->setToolTip(tr("Type a service's name and press Enter: the view centres on it and selects it"));
    auto *completer = new QCompleter(new QStringListModel(this), this);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    m_find->setCompleter(completer);
    connect(m_find, &QLineEdit::returnPressed, this, &MainWindow::find);
    connect(completer, qOverload<const QString &>(&QCompleter::activated), this, &MainWindow::find);
    toolbar->addWidget(m_find);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    const auto action = [&](const QString &text, const QKeySequence &key, const QString &tip, auto slot) {
        QAction *a = view->addAction(text, this, slot);
        a->setShortcut(key);
        a->setStatusTip(tip);
        a->setToolTip(tip);
        return a;
    };
    QAction *findAction = action(tr("&Find a Service"), QKeySequence::Find, tr("Find a service by name"), [this] {
        m_find->setFocus();
        m_find->selectAll();
    });
    addAction(findAction);
    QAction *fit = action(tr("&Fit the Mesh"), QKeySequence(Qt::Key_F), tr("Zoom to show the whole mesh (F)"), [this] {
        m_view->fitAll();
    });
    fit->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    toolbar->addAction(fit);
    QAction *relayout = action(tr("&Lay Out Again"), QKeySequence(Qt::CTRL | Qt::Key_R),
                               tr("Lay the graph out again, also the services you moved"), [this] { m_scene->relayout(true); });
    toolbar->addAction(relayout);
    view->addSeparator();
    QAction *labels = action(tr("Edge &Labels"), QKeySequence(Qt::CTRL | Qt::Key_L),
                             tr("Show each edge's request rate, success rate and p99 latency"), [] {});
    labels->setCheckable(true);
    labels->setChecked(settings.value(settings_keys::EdgeLabels, true).toBool());
    connect(labels, &QAction::toggled, this, [this](bool on) {
        m_scene->setLabelsShown(on);
        QSettings().setValue(settings_keys::EdgeLabels, on);
    });
    m_scene->setLabelsShown(labels->isChecked());
    toolbar->addAction(labels);
    QAction *dots = action(tr("Moving &Dots"), QKeySequence(Qt::CTRL | Qt::Key_D),
                           tr("Dots travel along the edges, more of them where more requests flow"), [] {});
    dots->setCheckable(true);
    dots->setChecked(settings.value(settings_keys::MovingDots, true).toBool());
    connect(dots, &QAction::toggled, this, [this](bool on) {
        m_scene->setDotsShown(on);
        QSettings().setValue(settings_keys::MovingDots, on);
    });
    m_scene->setDotsShown(dots->isChecked());
    toolbar->addAction(dots);
    view->addSeparator();
    const QStringList tabs = {tr("&Checks"), tr("C&ertificates"), tr("T&ap"), tr("&Events"), tr("&meshd")};
    action(tr("&Topology"), QKeySequence(Qt::CTRL | Qt::Key_1), tr("The topology (Ctrl+1)"), [this] { m_view->setFocus(); });
    for (int i = 0; i < tabs.size(); ++i)
        action(tabs[i], QKeySequence(Qt::CTRL | (Qt::Key_2 + i)), tr("Show this tab below the topology"), [this, i] {
            m_tabs->setCurrentIndex(i);
            m_tabs->currentWidget()->setFocus();
        });

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Meshscope"), this, [this] {
        QMessageBox::about(this, tr("About Meshscope"),
                           tr("<h3>Meshscope %1</h3><p>A desktop service-mesh explorer.</p>"
                              "<p>Connected to: %2</p>")
                               .arg(QString::fromLatin1(meshcore::MeshscopeVersion), m_connection->addressText()));
    });
}

void MainWindow::openSettings()
{
    const auto &options = m_connection->options();
    SettingsDialog dialog(m_connection->addressText(), QString::fromStdString(options.stateDir.string()), m_graph->thresholds(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QSettings settings;
    const auto thresholds = dialog.thresholds();
    settings.setValue(settings_keys::WarnBelow, thresholds.warnBelow);
    settings.setValue(settings_keys::FailBelow, thresholds.failBelow);
    m_graph->setThresholds(thresholds);
    const std::filesystem::path stateDir = dialog.stateDir().toStdString();
    if (dialog.address() == options.address && stateDir == options.stateDir)
        return;
    settings.setValue(settings_keys::Address, QString::fromStdString(dialog.address().toString()));
    settings.setValue(settings_keys::StateDir, dialog.stateDir());
    // Another meshd: nothing of this one's stays on screen.
    m_graph->apply(std::make_shared<meshcore::admin::Topology>(), nullptr, {});
    m_panel->showService({});
    m_events->clear();
    m_everConnected = false;
    m_banner->hide();
    m_tapStream->setTarget(dialog.address(), stateDir);
    m_connection->reconnect(dialog.address(), stateDir);
    m_tap->retarget();
}

void MainWindow::find()
{
    const auto found = m_scene->find(m_find->text().trimmed());
    if (found.isEmpty()) {
        statusBar()->showMessage(tr("No service called '%1'").arg(m_find->text()), 4000);
        return;
    }
    m_view->focusNode(found.first());
}

void MainWindow::selectService(const QString &key)
{
    if (m_scene->nodeItem(key))
        m_view->focusNode(key);
    else
        m_pendingSelection = key;
}

void MainWindow::onNodeSelected(const QString &key)
{
    if (!key.isEmpty() || !m_panel->service().isEmpty()) {
        // An empty selection (a click on the background) keeps the panel: it is what one looks at.
        if (key.isEmpty())
            return;
        m_haveHistory = false;
        m_panel->showService(key);
        m_connection->setFocus(key);
    }
}

void MainWindow::onStateChanged(models::MeshConnection::State state, const QString &text)
{
    m_indicator->setState(state, text);
    m_waiting->showState(state, text);
    const bool connected = state == models::MeshConnection::State::Connected;
    if (connected) {
        m_banner->hide();
    } else if (m_everConnected) {
        // Keep the last picture, say clearly that it is old, and keep trying.
        m_banner->setText(tr("<b>meshd at %1 is not answering</b> (%2). Reconnecting by itself… The figures shown are "
                             "from %3.")
                              .arg(m_connection->addressText(), text.toHtmlEscaped(), m_lastData.toLocalTime().toString(QStringLiteral("HH:mm:ss"))));
        m_banner->show();
    }
    m_central->setCurrentIndex(m_everConnected ? 1 : 0);
}

void MainWindow::onSnapshot(const models::PollResultPtr &result)
{
    if (!result->ok)
        return;
    m_everConnected = true;
    m_lastData = result->at;
    m_central->setCurrentIndex(1);
    const QString mesh = QString::fromStdString(result->info.mesh);
    setWindowTitle(tr("%1 — Meshscope").arg(mesh));
    m_meshLabel->setText(tr("mesh: %1").arg(mesh));
    m_details->showSnapshot(result, m_connection->startedMeshd());

    std::map<std::string, std::string> podServices;
    if (result->workloads)
        for (const auto &w : *result->workloads)
            podServices[w.pod] = meshcore::qualifiedName(w.service, w.ns);
    m_graph->apply(result->topology, result->checks, std::move(podServices));
    if (auto *completer = m_find->completer())
        if (auto *names = qobject_cast<QStringListModel *>(completer->model()); names && names->rowCount() != m_graph->nodes().size())
            names->setStringList(m_graph->nodes().keys());
    if (!m_pendingSelection.isEmpty() && m_scene->nodeItem(m_pendingSelection)) {
        m_view->focusNode(m_pendingSelection);
        m_pendingSelection.clear();
    }
    m_panel->showSnapshot(result);
    if (QString::fromStdString(result->focus) == m_panel->service() && result->history)
        m_haveHistory = true;
    m_checks->setReport(result->checks.get());
    m_certificates->showReport(result->certificates.get());
    updateChecksTab();
    if (result->eventsRestarted)
        m_events->clear();
    m_events->append(result->newEvents);
    Q_EMIT snapshotShown();
}

void MainWindow::updateChecksTab()
{
    const int failing = m_checks->failing();
    const int warning = m_checks->warning();
    m_tabs->setTabText(0, failing ? tr("Checks (%1 failing)").arg(failing) : warning ? tr("Checks (%1 warning)").arg(warning) : tr("Checks"));
    const auto *certificates = m_certificates->model();
    const int expiring = certificates->count("warning") + certificates->count("expired");
    m_tabs->setTabText(1, expiring ? tr("Certificates (%1 expiring)").arg(expiring) : tr("Certificates"));
}

bool MainWindow::readyForScreenshot() const
{
    if (!m_everConnected)
        return false;
    bool traffic = m_graph->nodes().isEmpty();
    for (const auto &edge : m_graph->edges())
        traffic = traffic || edge.traffic.requests > 0;
    return traffic && (m_panel->service().isEmpty() || m_haveHistory);
}

void MainWindow::changeEvent(QEvent *event)
{
    // The system went light or dark: the graph's colours follow.
    if (event->type() == QEvent::PaletteChange) {
        TopologyStyle::refresh();
        m_scene->update();
        colours::paintBanner(m_banner, true);
        colours::paintBanner(m_certificates->banner(), false);
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
