#pragma once

#include <QWidget>

#include "models/mesh_connection.h"

class QLabel;
class QStackedWidget;

namespace meshscope::ui {

// The mesh at a glance: which meshd answers, for which mesh, since when. Shows a helpful empty
// state while no meshd answers. Thread: GUI.
class OverviewPanel : public QWidget {
    Q_OBJECT
public:
    explicit OverviewPanel(QWidget *parent = nullptr);

    void showSnapshot(const models::PollResultPtr &result, bool startedByApp);
    void showState(models::MeshConnection::State state, const QString &text);

private:
    QStackedWidget *m_stack;
    QLabel *m_emptyTitle;
    QLabel *m_emptyText;
    QLabel *m_title;
    QLabel *m_version;
    QLabel *m_address;
    QLabel *m_trustDomain;
    QLabel *m_config;
    QLabel *m_started;
    QLabel *m_uptime;
    QLabel *m_process;
    QLabel *m_stateDir;
    QLabel *m_roundTrip;
};

} // namespace meshscope::ui
