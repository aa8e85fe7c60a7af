#pragma once

#include <QList>
#include <QPointF>
#include <QStringList>
#include <QWidget>

class QCategoryAxis;
class QChart;
class QChartView;
class QLineSeries;
class QValueAxis;

namespace meshscope::ui {

// A live line chart over time: a few named series sharing a time axis (x in milliseconds since
// the epoch). Where there is no data the line stops: a point whose y is NaN, or two points
// further apart than one step and a half, leave a gap (each run of points is a line of its own:
// Qt Charts does not break a line at NaN reliably). The value axis ticks on round numbers (1, 2
// or 5 x 10^k), the time axis on round minutes. Qt Charts stays behind this class and in this
// folder (it is deprecated from Qt 6.10): moving to Qt Graphs touches nothing else. Thread: GUI.
class TimeSeriesChart : public QWidget {
    Q_OBJECT
public:
    // `unit` follows the values on the axis ("rps", "%", "ms"). With `percent`, the axis ends at
    // 100 and starts a little below the lowest value, so 99.5 % and 100 % look different.
    TimeSeriesChart(const QString &title, const QString &unit, const QStringList &seriesNames,
                    bool percent = false, QWidget *parent = nullptr);

    // Replaces the points of series `index`, oldest first (no reset of the chart).
    void setPoints(int index, const QList<QPointF> &points);
    // How far apart points are (the history's step); 0: the smallest distance between them.
    void setStepSeconds(int seconds);
    // Call after the series changed: fits the axes to the data, over `from`..`to` (ms since the
    // epoch) when given, so charts side by side share their time axis.
    void rescale(double from = 0, double to = 0);
    int seriesCount() const { return static_cast<int>(m_points.size()); }
    // The points given to series `index`, gaps included.
    QList<QPointF> points(int index) const;
    // How many unbroken lines series `index` is drawn as.
    int segmentCount(int index) const;
    QValueAxis *valueAxis() const { return m_values; }
    // Labelled at round minutes ("12:05"): each label's end value is its time.
    QCategoryAxis *timeAxis() const { return m_time; }

protected:
    void changeEvent(QEvent *event) override;
    // Fewer ticks when small: labels must not crowd.
    void resizeEvent(QResizeEvent *event) override;

private:
    void applyTheme();
    void drawSegments(int index);
    QLineSeries *segment(int index, int n);
    double maxGapMs() const;
    void scaleTime(double first, double last);
    void scaleValues(double low, double high);

    QChart *m_chart;
    QChartView *m_view;
    QCategoryAxis *m_time;
    QValueAxis *m_values;
    QList<QList<QPointF>> m_points; // per series, as given
    QList<QList<QLineSeries *>> m_segments; // per series, the lines drawn (unused ones empty)
    QStringList m_names;
    QString m_unit;
    int m_stepSeconds = 0;
    double m_from = 0;
    double m_to = 0;
    bool m_percent;
};

} // namespace meshscope::ui
