#pragma once

#include <QMainWindow>

#include "models/mesh_connection.h"
#include "models/mesh_snapshot.h"

class QLabel;
class QLineEdit;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QTableView;

namespace meshscope::models {
class ChecksModel;
class TapStream;
class EventsModel;
class MeshGraph;
} // namespace meshscope::models

namespace meshscope::ui {

class CertificatesView;
class TapView;
class ConnectionIndicator;
class OverviewPanel;
class ServicePanel;
class TopologyScene;
class TopologyView;

// Meshscope's main window: the live topology in the middle, the selected service on the right,
// checks, certificates, the tap, events and meshd's details below, a banner when meshd stops answering, and a status
// bar saying which meshd answers. Layout and view switches persist (QSettings).
// Thread: GUI.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(models::MeshConnection *connection, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Selects a service (as a click on it would), now or once it appears.
    void selectService(const QString &key);
    models::MeshGraph *graph() const { return m_graph; }
    TopologyScene *scene() const { return m_scene; }
    TopologyView *topologyView() const { return m_view; }
    ServicePanel *servicePanel() const { return m_panel; }
    models::ChecksModel *checks() const { return m_checks; }
    models::EventsModel *events() const { return m_events; }
    QLabel *banner() const { return m_banner; }
    CertificatesView *certificates() const { return m_certificates; }
    TapView *tap() const { return m_tap; }
    QTabWidget *tabs() const { return m_tabs; }
    // Whether the window shows something worth a picture: the mesh with traffic and, when a
    // service is selected, its charts.
    bool readyForScreenshot() const;

Q_SIGNALS:
    void snapshotShown();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void createActions();
    void onStateChanged(models::MeshConnection::State state, const QString &text);
    void onSnapshot(const models::PollResultPtr &result);
    void onNodeSelected(const QString &key);
    void find();
    void updateChecksTab();
    void openSettings();

    models::MeshConnection *m_connection;
    models::MeshGraph *m_graph;
    models::ChecksModel *m_checks;
    models::EventsModel *m_events;
    TopologyScene *m_scene;
    TopologyView *m_view;
    ServicePanel *m_panel;
    CertificatesView *m_certificates;
    models::TapStream *m_tapStream;
    TapView *m_tap;
    QStackedWidget *m_central;
    OverviewPanel *m_waiting;   // while no meshd answers
    OverviewPanel *m_details;   // meshd's details, in the bottom tabs
    QLabel *m_banner;
    QLineEdit *m_find;
    QTabWidget *m_tabs;
    QSplitter *m_split = nullptr;
    ConnectionIndicator *m_indicator;
    QLabel *m_meshLabel;
    QString m_pendingSelection;
    QDateTime m_lastData;
    bool m_everConnected = false;
    bool m_haveHistory = false;
};

} // namespace meshscope::ui
