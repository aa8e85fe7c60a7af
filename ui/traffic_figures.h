#pragma once

#include <QWidget>

#include "admin/api_types.h"
#include "models/health.h"

class QLabel;

namespace meshscope::ui {

// The golden metrics now, each under its name: rate, success, p50, p95, p99; success coloured by
// health. `scope` says whose requests the tooltips speak of ("to this service", "on this edge").
// Thread: GUI.
class TrafficFigures : public QWidget {
    Q_OBJECT
public:
    TrafficFigures(const QString &scope, QWidget *parent = nullptr);

    void show(const meshcore::admin::TrafficFigures &traffic, models::Health health);
    void clear();
    QString text(int figure) const; // 0 rate .. 4 p99, for tests

private:
    QLabel *m_figures[5] = {};
};

} // namespace meshscope::ui
