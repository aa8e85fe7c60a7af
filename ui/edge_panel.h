#pragma once

#include <QWidget>

#include "models/mesh_snapshot.h"

class QLabel;
class QPushButton;

class TestMainWindow;

namespace meshscope::models {
class ExplorerModels;
struct GraphEdge;
} // namespace meshscope::models

namespace meshscope::ui {

class HistoryCharts;
class TrafficFigures;

// The traffic between two services (a clicked edge): its golden metrics now and over time, the
// identities both proxies proved, the versions of the callee its requests went to (next to the
// split's weights), and its routes. Shows the edge `models` is set to. Thread: GUI.
class EdgePanel : public QWidget {
    Q_OBJECT
public:
    explicit EdgePanel(const models::ExplorerModels *models, QWidget *parent = nullptr);

    QString edge() const { return m_edge; }
    QString title() const;
    QString security() const; // the identities line, for tests

    HistoryCharts *charts() const { return m_charts; }

Q_SIGNALS:
    // "Open caller" / "Open callee": the window selects that service.
    void serviceRequested(const QString &key);

private:
    friend class ::TestMainWindow;
    void showEdge(const QString &key);
    void showSnapshot(const models::PollResultPtr &result);
    void updateHeader();
    QString securityText(const models::GraphEdge &edge) const;

    const models::ExplorerModels *m_models;
    QString m_edge;
    QLabel *m_empty;
    QWidget *m_content;
    QLabel *m_title;
    QLabel *m_security;
    TrafficFigures *m_figures;
    HistoryCharts *m_charts;
    QPushButton *m_caller;
    QPushButton *m_callee;
};

} // namespace meshscope::ui
