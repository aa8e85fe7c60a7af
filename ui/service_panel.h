#pragma once

#include <QWidget>

#include "models/mesh_graph.h"
#include "models/mesh_snapshot.h"

class QLabel;
class QTableView;

namespace meshscope::models {
class EdgesModel;
class RoutesModel;
class WorkloadsModel;
} // namespace meshscope::models

namespace meshscope::ui {

class SplitEditor;
class TimeSeriesChart;

// Everything about the selected service: its golden metrics now and as charts over the last 15
// minutes, its routes, who calls it and whom it calls (with identities), the split between its
// versions (with sliders), and its replicas' processes. Thread: GUI.
class ServicePanel : public QWidget {
    Q_OBJECT
public:
    explicit ServicePanel(const models::MeshGraph *graph, QWidget *parent = nullptr);

    // "" shows what to do instead.
    void showService(const QString &key);
    QString service() const { return m_service; }
    // A poll: the graph's figures, and the routes, history, split and workloads of the focused service.
    void showSnapshot(const models::PollResultPtr &result);

    TimeSeriesChart *rateChart() const { return m_rate; }
    TimeSeriesChart *successChart() const { return m_success; }
    TimeSeriesChart *latencyChart() const { return m_latency; }
    SplitEditor *splitEditor() const { return m_split; }
    QString observedShares() const;
    models::RoutesModel *routes() const { return m_routes; }
    models::WorkloadsModel *workloads() const { return m_workloads; }
    models::EdgesModel *edges() const { return m_edges; }

Q_SIGNALS:
    void splitRequested(const QString &service, const std::vector<meshcore::admin::BackendShare> &weights);

private:
    void updateHeader();
    void showHistory(const meshcore::admin::ServiceHistory *history);

    const models::MeshGraph *m_graph;
    QString m_service;
    QWidget *m_empty;
    QWidget *m_content;
    QLabel *m_title;
    QLabel *m_subtitle;
    QLabel *m_problems;
    QLabel *m_figures[5];
    TimeSeriesChart *m_rate;
    TimeSeriesChart *m_success;
    TimeSeriesChart *m_latency;
    models::RoutesModel *m_routes;
    models::EdgesModel *m_edges;
    models::WorkloadsModel *m_workloads;
    SplitEditor *m_split;
    QLabel *m_observed; // the share each version actually got
};

} // namespace meshscope::ui
