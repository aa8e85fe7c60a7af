#pragma once

#include <QList>
#include <QPointF>
#include <QStringList>
#include <QWidget>

class QChart;
class QChartView;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace meshscope::ui {

// A live line chart over time: a few named series sharing a time axis (x in milliseconds since
// the epoch). Qt Charts stays behind this class and in this folder (it is deprecated from Qt
// 6.10): moving to Qt Graphs touches nothing else. Thread: GUI.
class TimeSeriesChart : public QWidget {
    Q_OBJECT
public:
    // `unit` follows the values on the axis ("rps", "%", "ms"). With `percent`, the axis ends at
    // 100 and starts a little below the lowest value, so 99.5 % and 100 % look different.
    TimeSeriesChart(const QString &title, const QString &unit, const QStringList &seriesNames,
                    bool percent = false, QWidget *parent = nullptr);

    // Replaces the points of series `index` (no reset of the chart, no new series).
    void setPoints(int index, const QList<QPointF> &points);
    // Call after the series changed: fits the axes to the data, over `from`..`to` (ms since the
    // epoch) when given, so charts side by side share their time axis.
    void rescale(double from = 0, double to = 0);
    int seriesCount() const { return static_cast<int>(m_series.size()); }
    QList<QPointF> points(int index) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyTheme();

    QChart *m_chart;
    QChartView *m_view;
    QDateTimeAxis *m_time;
    QValueAxis *m_values;
    QList<QLineSeries *> m_series;
    QString m_unit;
    bool m_percent;
};

} // namespace meshscope::ui
