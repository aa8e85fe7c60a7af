#pragma once

#include <QWidget>

class QLabel;
class QTableView;

namespace meshscope::models {
class ExplorerModels;
} // namespace meshscope::models

namespace meshscope::ui {

class GraphLegend;

// The side panel while nothing is selected: the mesh in one line (services, requests per second,
// success, the next certificate to expire), every service in a sortable table with its golden
// metrics, mTLS and failing checks (the front page of Linkerd's dashboard), and the legend of the
// topology's colours and symbols. A click on a row selects that service. Thread: GUI.
class MeshOverviewPage : public QWidget {
    Q_OBJECT
public:
    explicit MeshOverviewPage(const models::ExplorerModels *models, QWidget *parent = nullptr);

    // "8 services · 21 rps · 99.5 % success · next certificate to expire: catalog in 23 h"
    QString summaryText() const;
    QTableView *table() const { return m_table; }
    GraphLegend *legend() const { return m_legend; }

Q_SIGNALS:
    void serviceActivated(const QString &key);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void refresh();
    // The name column gets what the figures leave of the table's width (names elided beyond).
    void fitNameColumn();

    const models::ExplorerModels *m_models;
    QLabel *m_summary;
    QTableView *m_table;
    GraphLegend *m_legend;
    bool m_severalNamespaces = true; // the Namespace column is shown
};

} // namespace meshscope::ui
