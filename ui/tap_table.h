#pragma once

#include <QTableView>

#include "telemetry/tap.h"

class QTimer;

namespace meshscope::models {
class TapModel;
class TapSortModel;
} // namespace meshscope::models

namespace meshscope::ui {

// The tap's rows: compact (a line of text each), sortable by a click on any header (newest first
// until then), columns no row fills hidden, and the columns fitted to the width: short ones (time,
// method, status, latency, TLS, retries) as wide as their text, the rest sharing what is left, the
// path and the error the most. Once the user drags a column, the widths are theirs. Thread: GUI.
class TapTable : public QTableView {
    Q_OBJECT
public:
    TapTable(models::TapModel *model, QWidget *parent = nullptr);

    // The request in the current row, if any.
    const meshcore::telemetry::TapEvent *currentEvent() const;
    // The model's rows in the order shown: the selected ones (all when none is), top to bottom.
    QList<int> sourceRows(bool selectedOnly) const;

Q_SIGNALS:
    void currentRequestChanged();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void showColumns();
    void fitColumns();

    models::TapModel *m_model;
    models::TapSortModel *m_sorted;
    QTimer *m_refit;
    QList<int> m_natural; // per column, the width of its usual content
    bool m_fitting = false;
    bool m_userSized = false;
};

} // namespace meshscope::ui
