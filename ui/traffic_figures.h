#pragma once

#include <QWidget>

#include "admin/api_types.h"
#include "models/health.h"

class QLabel;

namespace meshscope::ui {

// The golden metrics now, each under its name: rate, success, p50, p95, p99; success coloured by
// health. `scope` says whose requests the tooltips speak of ("to this service", "on this edge").
// In a narrow panel the latencies go on a second row rather than widening it.
// Thread: GUI.
class TrafficFigures : public QWidget {
    Q_OBJECT
public:
    TrafficFigures(const QString &scope, QWidget *parent = nullptr);

    void show(const meshcore::admin::TrafficFigures &traffic, models::Health health);
    void clear();
    QString text(int figure) const; // 0 rate .. 4 p99, for tests

    int rows() const { return m_perRow == 5 ? 1 : 2; }

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void arrange(int perRow); // the figures in rows of `perRow` (5, or 2 then 3)
    int oneRowWidth() const;

    QLabel *m_names[5] = {};
    QLabel *m_figures[5] = {};
    int m_perRow = 0;
};

} // namespace meshscope::ui
