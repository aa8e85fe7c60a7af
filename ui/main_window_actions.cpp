// MainWindow's tabs (the one table of them), menus, toolbar and shortcuts, and what they open
// (find, settings, about).
#include <QAction>
#include <QCompleter>
#include <QDockWidget>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QStringListModel>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>

#include "core/version.h"
#include "models/certificates_model.h"
#include "models/checks_model.h"
#include "models/events_model.h"
#include "models/explorer_models.h"
#include "models/mesh_graph.h"
#include "ui/certificates_view.h"
#include "ui/connection_banner.h"
#include "ui/help_browser.h"
#include "ui/main_window.h"
#include "ui/overview_panel.h"
#include "ui/rollouts/rollout_cockpit.h"
#include "ui/settings_dialog.h"
#include "ui/settings_keys.h"
#include "ui/table_views.h"
#include "ui/tap_view.h"
#include "ui/topology/topology_scene.h"
#include "ui/topology/topology_view.h"

namespace meshscope::ui {
namespace {

QAction *addViewAction(QMenu *menu, QObject *receiver, const QString &text, const QKeySequence &key,
                       const QString &tip, std::function<void()> slot)
{
    QAction *action = menu->addAction(text, receiver, std::move(slot));
    action->setShortcut(key);
    action->setStatusTip(tip);
    action->setToolTip(tip);
    return action;
}

} // namespace

// The tabs below the topology, in this order; View > the menu text (Ctrl+2, Ctrl+3, ...) shows
// each. A new tab is one entry here and its view.
std::vector<MainWindow::Tab> MainWindow::tabTable()
{
    const auto checksTitle = [this] {
        const int failing = m_models->checks()->failing();
        const int warning = m_models->checks()->warning();
        return failing ? tr("Checks (%1 failing)").arg(failing)
            : warning  ? tr("Checks (%1 warning)").arg(warning)
                       : tr("Checks");
    };
    const auto certificatesTitle = [this] {
        const auto *certificates = m_models->certificates();
        const int expiring = certificates->count("warning") + certificates->count("expired");
        return expiring ? tr("Certificates (%1 expiring)").arg(expiring) : tr("Certificates");
    };
    return {
        {tr("&Checks"), sortableTable(m_models->checks(), this), checksTitle},
        {tr("C&ertificates"), m_certificates, certificatesTitle},
        {tr("T&ap"), m_tap, {}},
        {tr("&Events"), sortableTable(m_models->events(), this), {}},
        {tr("&meshd"), m_details, {}, true},
        {tr("&Rollouts"), m_rollouts, [this] { return m_rollouts->title(); }, true},
    };
}

void MainWindow::createTabs()
{
    m_tabList = tabTable();
    for (auto &tab : m_tabList) {
        tab.page = tab.widget;
        if (tab.scrolls) {
            auto *scroll = new QScrollArea(m_tabs);
            scroll->setWidget(tab.widget);
            scroll->setWidgetResizable(true);
            scroll->setFrameShape(QFrame::NoFrame);
            tab.page = scroll;
        }
        m_tabs->addTab(tab.page, QString(tab.menuText).remove(QLatin1Char('&')));
    }
}

void MainWindow::showTab(const QWidget *widget)
{
    for (const auto &tab : m_tabList)
        if (tab.widget == widget)
            m_tabs->setCurrentWidget(tab.page);
}

void MainWindow::updateTabTitles()
{
    for (std::size_t i = 0; i < m_tabList.size(); ++i)
        if (m_tabList[i].liveTitle)
            m_tabs->setTabText(static_cast<int>(i), m_tabList[i].liveTitle());
}

void MainWindow::createActions()
{
    createFileMenu();
    QToolBar *toolbar = createFindBar();
    QMenu *view = menuBar()->addMenu(tr("&View"));
    createViewActions(view, toolbar);
    view->addSeparator();
    createTabActions(view);
    view->addSeparator();
    createPanelActions(view, toolbar);
    createRolloutsMenu();
    createHelpMenu();
}

void MainWindow::createFileMenu()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *settingsAction = file->addAction(tr("&Settings…"), this, &MainWindow::openSettings);
    settingsAction->setShortcut(QKeySequence::Preferences);
    settingsAction->setStatusTip(
        tr("Connect to another meshd, or change where health turns orange and red"));
    QAction *exportAction
        = file->addAction(tr("&Export to Kubernetes…"), this, &MainWindow::exportToKubernetes);
    exportAction->setStatusTip(tr("Write the mesh as it runs (splits and rollouts included) as "
                                  "Gateway API, Flagger and Argo Rollouts YAML for Linkerd"));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setStatusTip(tr("Quit Meshscope (and the meshd it started)"));
}

QToolBar *MainWindow::createFindBar()
{
    auto *toolbar = addToolBar(tr("Topology"));
    toolbar->setObjectName(QStringLiteral("TopologyToolbar"));
    m_find->setPlaceholderText(tr("Find a service (Ctrl+F)"));
    m_find->setClearButtonEnabled(true);
    m_find->setMaximumWidth(280);
    m_find->setToolTip(
        tr("Type a service's name and press Enter: the view centres on it and selects it"));
    auto *completer = new QCompleter(new QStringListModel(this), this);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    m_find->setCompleter(completer);
    connect(m_find, &QLineEdit::returnPressed, this, &MainWindow::find);
    connect(completer, qOverload<const QString &>(&QCompleter::activated), this, &MainWindow::find);
    toolbar->addWidget(m_find);
    return toolbar;
}

void MainWindow::createViewActions(QMenu *view, QToolBar *toolbar)
{
    QSettings settings;
    QAction *findAction = addViewAction(view, this, tr("&Find a Service"), QKeySequence::Find,
                                        tr("Find a service by name"), [this] {
                                            m_find->setFocus();
                                            m_find->selectAll();
                                        });
    addAction(findAction);
    QAction *fit
        = addViewAction(view, this, tr("&Fit the Mesh"), QKeySequence(Qt::Key_F),
                        tr("Zoom to show the whole mesh (F)"), [this] { m_view->fitWhole(); });
    fit->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    toolbar->addAction(fit);
    toolbar->addAction(addViewAction(view, this, tr("&Lay Out Again"),
                                     QKeySequence(Qt::CTRL | Qt::Key_R),
                                     tr("Lay the graph out again, also the services you moved"),
                                     [this] { m_scene->relayout(true); }));
    view->addSeparator();
    // The two switches, remembered between runs.
    const auto toggle = [&](const QString &text, const QKeySequence &key, const QString &tip,
                            const QString &settingsKey, void (TopologyScene::*set)(bool)) {
        QAction *a = addViewAction(view, this, text, key, tip, [] {});
        a->setCheckable(true);
        a->setChecked(settings.value(settingsKey, true).toBool());
        connect(a, &QAction::toggled, this, [this, set, settingsKey](bool on) {
            (m_scene->*set)(on);
            QSettings().setValue(settingsKey, on);
        });
        (m_scene->*set)(a->isChecked());
        toolbar->addAction(a);
    };
    toggle(tr("Edge &Labels"), QKeySequence(Qt::CTRL | Qt::Key_L),
           tr("Show each edge's request rate, success rate and p99 latency"),
           settings_keys::EdgeLabels, &TopologyScene::setLabelsShown);
    toggle(tr("Moving &Dots"), QKeySequence(Qt::CTRL | Qt::Key_D),
           tr("Dots travel along the edges, more of them where more requests flow"),
           settings_keys::MovingDots, &TopologyScene::setDotsShown);
}

// Ctrl+1 the topology, Ctrl+2... the tabs of tabTable(), in its order.
void MainWindow::createTabActions(QMenu *view)
{
    addViewAction(view, this, tr("&Topology"), QKeySequence(Qt::CTRL | Qt::Key_1),
                  tr("The topology (Ctrl+1)"), [this] { m_view->setFocus(); });
    for (std::size_t i = 0; i < m_tabList.size(); ++i)
        addViewAction(view, this, m_tabList[i].menuText,
                      QKeySequence(Qt::CTRL | (Qt::Key_2 + static_cast<int>(i))),
                      tr("Show this tab below the topology"), [this, widget = m_tabList[i].widget] {
                          showTab(widget);
                          widget->setFocus();
                      });
}

// The panels around the topology: each can be hidden and brought back from here.
void MainWindow::createPanelActions(QMenu *view, QToolBar *toolbar)
{
    QAction *side = m_sideDock->toggleViewAction();
    side->setText(tr("Side &Panel"));
    side->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    side->setStatusTip(tr("Show or hide the panel on the right: the overview, or what is selected "
                          "(Ctrl+0)"));
    side->setToolTip(side->statusTip());
    view->addAction(side);
    toolbar->addAction(side);
    QAction *overview
        = addViewAction(view, this, tr("Mesh &Overview"), QKeySequence(Qt::Key_Escape),
                        tr("Clear the selection: the side panel lists every service (Esc)"),
                        [this] { showOverview(); });
    overview->setShortcutContext(Qt::WindowShortcut);
    addAction(overview);
    QAction *tabs = view->addAction(tr("&Bottom Tabs"));
    tabs->setCheckable(true);
    tabs->setChecked(true);
    tabs->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_9));
    tabs->setStatusTip(tr("Show or hide the checks, certificates, tap, events, meshd and rollouts "
                          "below the topology (Ctrl+9)"));
    connect(tabs, &QAction::toggled, m_tabs, &QWidget::setVisible);
    QAction *bar = toolbar->toggleViewAction();
    bar->setText(tr("Tool&bar"));
    bar->setStatusTip(tr("Show or hide the toolbar"));
    view->addAction(bar);
}

void MainWindow::createHelpMenu()
{
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *docs = help->addAction(tr("&Documentation"), this, &MainWindow::openDocumentation);
    docs->setShortcut(QKeySequence::HelpContents);
    docs->setStatusTip(tr("Read Meshscope's guide to the explorer, the CLI and the configuration "
                          "(F1)"));
    help->addAction(tr("&About Meshscope"), this, [this] {
        QMessageBox::about(
            this, tr("About Meshscope"),
            tr("<h3>Meshscope %1</h3><p>A desktop service-mesh explorer.</p>"
               "<p>Connected to: %2</p>")
                .arg(QString::fromLatin1(meshcore::MeshscopeVersion), m_connection->addressText()));
    });
}

void MainWindow::openDocumentation()
{
    if (!m_help)
        m_help = new HelpBrowser(this);
    m_help->showPage(QStringLiteral("explorer.md"));
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

void MainWindow::openSettings()
{
    const auto &options = m_connection->options();
    SettingsDialog dialog(m_connection->addressText(),
                          QString::fromStdString(options.stateDir.string()),
                          m_models->graph()->thresholds(), this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QSettings settings;
    const auto thresholds = dialog.thresholds();
    settings.setValue(settings_keys::WarnBelow, thresholds.warnBelow);
    settings.setValue(settings_keys::FailBelow, thresholds.failBelow);
    m_models->graph()->setThresholds(thresholds);
    const std::filesystem::path stateDir = dialog.stateDir().toStdString();
    if (dialog.address() == options.address && stateDir == options.stateDir)
        return;
    settings.setValue(settings_keys::Address, QString::fromStdString(dialog.address().toString()));
    settings.setValue(settings_keys::StateDir, dialog.stateDir());
    // Another meshd: nothing of this one's stays on screen.
    m_models->retarget(dialog.address(), stateDir);
    m_everConnected = false;
    m_banner->hide();
    m_connection->reconnect(dialog.address(), stateDir);
    m_tap->retarget();
}

} // namespace meshscope::ui
