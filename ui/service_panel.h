#pragma once

#include <QWidget>

#include "models/mesh_graph.h"
#include "models/mesh_snapshot.h"

class QLabel;
class QPushButton;
class QTableView;

class TestMainWindow;
class TestSidePanel;

namespace meshscope::models {
class ExplorerModels;
} // namespace meshscope::models

namespace meshscope::ui {

class SplitEditor;
class TimeSeriesChart;
class HistoryCharts;
class TrafficFigures;

// Everything about the selected service: its golden metrics now and as charts over time, its
// routes, who calls it and whom it calls (with identities), the split between its versions (with
// sliders), and its replicas' processes. Shows the service `models` is set to, its tables bound to
// the models' routes, edges and workloads; each poll refreshes the rest. Thread: GUI.
class ServicePanel : public QWidget {
    Q_OBJECT
public:
    explicit ServicePanel(const models::ExplorerModels *models, QWidget *parent = nullptr);

    QString service() const { return m_service; }
    // "Observed over the last 30 s: v1 90 % · v2 10 %", from the graph's edges into the service.
    QString observedShares() const;

    HistoryCharts *charts() const { return m_charts; }

Q_SIGNALS:
    void splitRequested(const QString &service,
                        const std::vector<meshcore::admin::BackendShare> &weights);
    // "Start Rollout…" on a service with two versions or more.
    void rolloutRequested(const QString &service);

private:
    friend class ::TestMainWindow;
    friend class ::TestSidePanel;
    // "" shows what to do instead.
    void showService(const QString &key);
    // A poll: the graph's figures, and the history and split of the focused service.
    void showSnapshot(const models::PollResultPtr &result);
    void updateHeader();
    // For tests (TestMainWindow).
    TimeSeriesChart *rateChart() const;
    SplitEditor *splitEditor() const { return m_split; }

    const models::ExplorerModels *m_models;
    const models::MeshGraph *m_graph;
    QString m_service;
    QWidget *m_empty;
    QWidget *m_content;
    QLabel *m_title;
    QLabel *m_subtitle;
    QLabel *m_problems;
    TrafficFigures *m_figures;
    HistoryCharts *m_charts;
    SplitEditor *m_split;
    QLabel *m_observed; // the share each version actually got
    QPushButton *m_startRollout;
};

} // namespace meshscope::ui
