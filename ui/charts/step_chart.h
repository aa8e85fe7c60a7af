#pragma once

#include <QList>
#include <QPointF>
#include <QWidget>

class QAreaSeries;
class QChart;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

namespace meshscope::ui {

// A weight (0-100 %) as steps over time: the rollout wizard's plan (x in seconds from the start,
// shown in minutes) or a rollout's weight so far (x in milliseconds since the epoch, shown as the
// time of day). Each point is where a weight starts. Thread: GUI.
class StepChart : public QWidget {
    Q_OBJECT
public:
    enum class Axis { Elapsed, Clock };
    StepChart(const QString &title, Axis axis, QWidget *parent = nullptr);

    void setSteps(const QList<QPointF> &steps);
    const QList<QPointF> &steps() const { return m_steps; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyTheme();

    Axis m_axis;
    QChart *m_chart;
    QLineSeries *m_line;
    QAreaSeries *m_area;
    QValueAxis *m_elapsed = nullptr;
    QDateTimeAxis *m_clock = nullptr;
    QValueAxis *m_weight;
    QList<QPointF> m_steps;
};

} // namespace meshscope::ui
