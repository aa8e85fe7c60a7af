#pragma once

#include <QMainWindow>

#include "models/mesh_connection.h"

class QLabel;

namespace meshscope::ui {

class ConnectionIndicator;
class OverviewPanel;

// Meshscope's main window: the views of the mesh, and a status bar saying which meshd answers.
// Thread: GUI.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(models::MeshConnection *connection, QWidget *parent = nullptr);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void onStateChanged(models::MeshConnection::State state, const QString &text);
    void onSnapshot(const models::PollResultPtr &result);

    models::MeshConnection *m_connection;
    OverviewPanel *m_overview;
    ConnectionIndicator *m_indicator;
    QLabel *m_meshLabel;
};

} // namespace meshscope::ui
