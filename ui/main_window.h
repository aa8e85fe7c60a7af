#pragma once

#include <algorithm>

#include <QDateTime>
#include <QMainWindow>
#include <QPointer>

#include <functional>
#include <vector>

#include "models/mesh_connection.h"
#include "models/mesh_snapshot.h"

class QDockWidget;
class QLabel;
class QLineEdit;
class QMenu;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QToolBar;
class TestMainWindow;
class TestRollouts;
class TestSidePanel;
class TestScreenshots;

namespace meshscope::models {
class ExplorerModels;
} // namespace meshscope::models

namespace meshscope::ui {

class CertificatesView;
class TapView;
class ConnectionBanner;
class ConnectionIndicator;
class HelpBrowser;
class OverviewPanel;
class RolloutCockpit;
class RolloutWizard;
struct RolloutTarget;
class ServicePanel;
class SidePanel;
class TopologyScene;
class TopologyView;

// Meshscope's main window: the live topology in the middle, the overview or the selected service
// or edge on the right, checks, certificates, the tap, events and meshd's details below, a banner
// with Retry and Settings when meshd stops answering, and a status bar saying which meshd answers.
// Layout and view switches persist (QSettings). The views bind to `models`, which takes every poll;
// the window itself only says where meshd is and what the user selected. Thread: GUI.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(models::MeshConnection *connection, models::ExplorerModels *models,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    // Selects a service (as a click on it would), now or once it appears.
    void selectService(const QString &key);
    // Selects an edge ("caller>callee"), as a click on it would.
    void selectEdge(const QString &key);
    // File > Export to Kubernetes…: asks where, then has meshd's mesh written there.
    void exportToKubernetes();
    // Whether the window shows something worth a picture: the mesh with traffic and, when a
    // service is selected, its charts.
    bool readyForScreenshot() const;

Q_SIGNALS:
    void snapshotShown();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    friend class ::TestMainWindow;
    friend class ::TestRollouts;
    friend class ::TestSidePanel;
    friend class ::TestScreenshots;
    // A tab below the topology: its title with the View menu's mnemonic ("&Checks"), its widget,
    // and, when it has one, the title it shows after each poll ("Checks (2 failing)").
    // A view whose minimum size is large (the cockpit's charts) sits in a scroll area (`page`),
    // so it never makes the window taller or wider than the screen; else `page` is `widget`.
    struct Tab {
        QString menuText;
        QWidget *widget;
        std::function<QString()> liveTitle;
        bool scrolls = false;
        QWidget *page = nullptr;
    };

    // main_window.cpp: the layout and what each poll changes in the window itself.
    QWidget *createCentre();
    void createSideDock();
    void restoreSettings();
    void onStateChanged(models::MeshConnection::State state, const QString &text);
    // Old figures stay, marked as old: greyed graph, no dots, dated panel, disabled tables.
    void setStale(bool stale);
    void onSnapshot(const models::PollResultPtr &result);
    void onNodeSelected(const QString &key);
    void onEdgeSelected(const QString &key);

public:
    // Nothing selected: the side panel shows the mesh overview (Esc).
    void showOverview();

private:
    // main_window_actions.cpp: the tabs, menus, toolbar and shortcuts.
    std::vector<Tab> tabTable();
    void createTabs();
    void updateTabTitles();
    void showTab(const QWidget *widget);
    void createActions();
    void createFileMenu();
    QToolBar *createFindBar();
    void createViewActions(QMenu *view, QToolBar *toolbar);
    void createTabActions(QMenu *view);
    void createPanelActions(QMenu *view, QToolBar *toolbar);
    void createHelpMenu();
    void openDocumentation();
    void find();
    void openSettings();
    // main_window_rollouts.cpp: the Rollouts menu, the wizard, the cockpit's actions, the
    // topology's card menu, and meshd's answers to actions.
    void createRolloutsMenu();
    std::vector<RolloutTarget> rolloutTargets() const;
    void openRolloutWizard(const QString &service);
    void showRollouts();
    void showNodeMenu(const QString &key, const QPoint &globalPos);
    void onActionFinished(const QString &action, bool ok, const QString &message);

    // For tests (TestMainWindow).
    TopologyScene *scene() const { return m_scene; }
    ServicePanel *servicePanel() const;
    SidePanel *sidePanel() const { return m_side; }
    QDockWidget *sideDock() const { return m_sideDock; }
    // The side panel's width at a first start in a window `windowWidth` wide: 30 % of it, 300
    // to 480 px (307 at 1024, where the graph needs the rest to show every name whole).
    static int firstSidePanelWidth(int windowWidth)
    {
        return std::clamp(windowWidth * 3 / 10, 300, 480);
    }
    ConnectionBanner *connectionPage() const { return m_noMeshd; }
    CertificatesView *certificates() const { return m_certificates; }
    TapView *tap() const { return m_tap; }
    QTabWidget *tabs() const { return m_tabs; }
    ConnectionBanner *banner() const { return m_banner; }
    RolloutCockpit *rolloutCockpit() const { return m_rollouts; }
    RolloutWizard *rolloutWizard() const; // main_window_rollouts.cpp

    models::MeshConnection *m_connection;
    models::ExplorerModels *m_models;
    TopologyScene *m_scene;
    TopologyView *m_view;
    SidePanel *m_side;
    CertificatesView *m_certificates;
    TapView *m_tap;
    RolloutCockpit *m_rollouts;
    QPointer<RolloutWizard> m_wizard;
    QPointer<HelpBrowser> m_help;
    QStackedWidget *m_central;
    OverviewPanel *m_waiting; // while connecting to, or starting, the first meshd
    ConnectionBanner *m_noMeshd; // while no meshd ever answered
    OverviewPanel *m_details; // meshd's details, in the bottom tabs
    ConnectionBanner *m_banner; // above the last picture when meshd stops answering
    QLineEdit *m_find;
    QTabWidget *m_tabs;
    std::vector<Tab> m_tabList;
    QSplitter *m_split = nullptr;
    QDockWidget *m_sideDock = nullptr;
    ConnectionIndicator *m_indicator;
    QLabel *m_meshLabel;
    QString m_pendingSelection;
    QDateTime m_lastData;
    bool m_everConnected = false;
    bool m_haveHistory = false;
    bool m_stale = false;
};

} // namespace meshscope::ui
