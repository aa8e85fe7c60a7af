#pragma once

#include <QList>
#include <QPointF>
#include <QWidget>

#include <optional>

class QChart;
class QLineSeries;
class QValueAxis;

namespace meshscope::ui {

// One figure of a rollout per interval, the candidate's beside stable's, with the analysis'
// threshold as a dashed line: success rate (%) or p99 (ms) against the interval's number.
// Thread: GUI.
class IntervalChart : public QWidget {
    Q_OBJECT
public:
    IntervalChart(const QString &title, const QString &unit, bool percent,
                  QWidget *parent = nullptr);

    // x: the interval's number; y: the figure.
    void setPoints(const QList<QPointF> &candidate, const QList<QPointF> &stable);
    // The line a candidate must stay above (percent) or below; none hides it.
    void setThreshold(std::optional<double> threshold);
    void setTitle(const QString &title);
    QList<QPointF> candidatePoints() const;
    std::optional<double> threshold() const { return m_threshold; }

protected:
    void changeEvent(QEvent *event) override;
    // Fewer value ticks when short: QtCharts elides labels ("...") that do not fit between them.
    void resizeEvent(QResizeEvent *event) override;

private:
    void applyTheme();
    void rescale();

    QChart *m_chart;
    QLineSeries *m_candidate;
    QLineSeries *m_stable;
    QLineSeries *m_limit;
    QValueAxis *m_intervals;
    QValueAxis *m_values;
    std::optional<double> m_threshold;
    bool m_percent;
};

} // namespace meshscope::ui
