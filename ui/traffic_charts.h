#pragma once

#include <QWidget>

#include "admin/api_types.h"

namespace meshscope::ui {

class TimeSeriesChart;

// Request rate, success rate and latency (p50, p95, p99) over time, on one shared time axis: a
// service's or an edge's history as meshd keeps it. Thread: GUI.
class TrafficCharts : public QWidget {
    Q_OBJECT
public:
    explicit TrafficCharts(QWidget *parent = nullptr);

    // Null clears the charts.
    void showHistory(const meshcore::admin::ServiceHistory *history);
    TimeSeriesChart *rate() const { return m_rate; }
    TimeSeriesChart *success() const { return m_success; }
    TimeSeriesChart *latency() const { return m_latency; }

private:
    TimeSeriesChart *m_rate;
    TimeSeriesChart *m_success;
    TimeSeriesChart *m_latency;
};

} // namespace meshscope::ui
