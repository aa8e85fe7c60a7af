#include "ui/charts/step_chart.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

#include "ui/charts/chart_look.h"

namespace meshscope::ui {

StepChart::StepChart(const QString &title, Axis axis, QWidget *parent)
    : QWidget(parent)
    , m_axis(axis)
    , m_chart(new QChart)
    , m_line(new QLineSeries)
    , m_area(new QAreaSeries(m_line)) // down to the x axis
    , m_weight(new QValueAxis)
{
    m_line->setParent(m_area); // the area series does not own its line
    m_chart->setTitle(title);
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_chart->legend()->setVisible(false);
    m_chart->addSeries(m_area);
    QAbstractAxis *x = nullptr;
    if (axis == Axis::Elapsed) {
        m_elapsed = new QValueAxis;
        m_elapsed->setTitleText(tr("minutes from the start"));
        m_elapsed->setLabelFormat(QStringLiteral("%.1f"));
        x = m_elapsed;
    } else {
        m_clock = new QDateTimeAxis;
        m_clock->setFormat(QStringLiteral("HH:mm:ss"));
        m_clock->setTickCount(3); // "12:00:00" three times fits a third of the tab
        x = m_clock;
    }
    m_weight->setRange(0, 100);
    m_weight->setTickCount(5);
    m_weight->setLabelFormat(QStringLiteral("%d"));
    m_weight->setTitleText(tr("candidate %"));
    m_chart->addAxis(x, Qt::AlignBottom);
    m_chart->addAxis(m_weight, Qt::AlignLeft);
    m_area->attachAxis(x);
    m_area->attachAxis(m_weight);
    auto *view = new QChartView(m_chart, this);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(170);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view);
    applyTheme();
    setSteps({});
}

void StepChart::setSteps(const QList<QPointF> &steps)
{
    m_steps = steps;
    // Elapsed seconds read as minutes; a step is two points: the old weight, then the new one.
    const double scale = m_axis == Axis::Elapsed ? 1.0 / 60 : 1.0;
    QList<QPointF> line;
    for (const auto &step : steps) {
        const double x = step.x() * scale;
        if (!line.isEmpty())
            line.append({x, line.last().y()});
        line.append({x, step.y()});
    }
    m_line->replace(line);
    const double first = line.isEmpty() ? 0 : line.first().x();
    double last = line.isEmpty() ? 1 : line.last().x();
    if (m_axis == Axis::Elapsed) {
        last = std::max(last * 1.05, first + 0.5);
        m_elapsed->setRange(first, last);
        m_elapsed->setTickCount(std::clamp(static_cast<int>(std::ceil(last)) + 1, 3, 7));
    } else {
        if (last <= first)
            last = first + 60 * 1000.0;
        m_clock->setRange(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(first)),
                          QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(last)));
    }
}

void StepChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
    QWidget::changeEvent(event);
}

void StepChart::applyTheme()
{
    charts::applyTheme(m_chart, this);
    QColor fill = charts::candidateColour();
    m_area->setPen(QPen(fill, 2));
    fill.setAlpha(60);
    m_area->setBrush(fill);
}

} // namespace meshscope::ui
