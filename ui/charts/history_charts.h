#pragma once

#include <QWidget>

#include <optional>

#include "admin/api_types.h"

namespace meshscope::ui {

class TimeRangeSelector;
class TimeSeriesChart;

// A service's (or an edge's) traffic over time: request rate, success rate and latency (p50,
// p95, p99) on one time axis, with the choice of range (5 m, 15 m, 1 h) above them. Time
// without points is a gap; a point without requests has a rate of 0 and no success or latency.
// The window ends where the history's last point ends. The charts only draw what they are
// given: whoever polls meshd listens to rangeChanged and asks for that range. Thread: GUI.
class HistoryCharts : public QWidget {
    Q_OBJECT
public:
    explicit HistoryCharts(QWidget *parent = nullptr, int rangeSeconds = 15 * 60);

    // Draws `history` (none: empty charts) over the range chosen.
    void showHistory(const meshcore::admin::ServiceHistory *history);
    int rangeSeconds() const;
    void setRangeSeconds(int seconds); // without emitting rangeChanged

    TimeSeriesChart *rateChart() const { return m_rate; }
    TimeSeriesChart *successChart() const { return m_success; }
    TimeSeriesChart *latencyChart() const { return m_latency; }
    TimeRangeSelector *rangeSelector() const { return m_range; }

Q_SIGNALS:
    // The user chose another range (in seconds: 300, 900, 3600); the charts already cover it.
    void rangeChanged(int seconds);

private:
    void draw();

    TimeRangeSelector *m_range;
    TimeSeriesChart *m_rate;
    TimeSeriesChart *m_success;
    TimeSeriesChart *m_latency;
    std::optional<meshcore::admin::ServiceHistory> m_history;
};

} // namespace meshscope::ui
