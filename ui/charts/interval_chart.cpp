#include "ui/charts/interval_chart.h"

#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QLegendMarker>
#include <QLineSeries>
#include <QResizeEvent>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

#include "ui/charts/chart_look.h"

namespace meshscope::ui {

IntervalChart::IntervalChart(const QString &title, const QString &unit, bool percent,
                             QWidget *parent)
    : QWidget(parent)
    , m_chart(new QChart)
    , m_candidate(new QLineSeries)
    , m_stable(new QLineSeries)
    , m_limit(new QLineSeries)
    , m_intervals(new QValueAxis)
    , m_values(new QValueAxis)
    , m_percent(percent)
{
    m_chart->setTitle(title);
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_candidate->setName(tr("candidate"));
    m_stable->setName(tr("stable"));
    m_limit->setName(tr("threshold"));
    // Labels on whole intervals only (the chart's title says what x is).
    m_intervals->setLabelFormat(QStringLiteral("%.0f"));
    m_intervals->setTickType(QValueAxis::TicksDynamic);
    m_intervals->setTickAnchor(1);
    m_values->setTitleText(unit);
    m_values->setLabelFormat(percent ? QStringLiteral("%.0f") : QStringLiteral("%.3g"));
    m_values->setTickCount(5);
    m_chart->addAxis(m_intervals, Qt::AlignBottom);
    m_chart->addAxis(m_values, Qt::AlignLeft);
    for (auto *series : {m_stable, m_candidate, m_limit}) {
        m_chart->addSeries(series);
        series->attachAxis(m_intervals);
        series->attachAxis(m_values);
    }
    m_candidate->setPointsVisible(true);
    m_stable->setPointsVisible(true);
    auto *view = new QChartView(m_chart, this);
    view->setRenderHint(QPainter::Antialiasing);
    view->setMinimumHeight(170);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(view);
    applyTheme();
    rescale();
}

void IntervalChart::setPoints(const QList<QPointF> &candidate, const QList<QPointF> &stable)
{
    m_candidate->replace(candidate);
    m_stable->replace(stable);
    rescale();
}

void IntervalChart::setThreshold(std::optional<double> threshold)
{
    m_threshold = threshold;
    rescale();
}

void IntervalChart::setTitle(const QString &title)
{
    if (m_chart->title() != title)
        m_chart->setTitle(title);
}

QList<QPointF> IntervalChart::candidatePoints() const
{
    return m_candidate->points();
}

void IntervalChart::rescale()
{
    double first = 1;
    double last = 1;
    double low = m_percent ? 100 : 0;
    double high = m_percent ? 100 : 1;
    bool any = false;
    for (const auto *series : {m_candidate, m_stable})
        for (const auto &p : series->points()) {
            first = any ? std::min(first, p.x()) : p.x();
            last = any ? std::max(last, p.x()) : p.x();
            low = std::min(low, p.y());
            high = std::max(high, p.y());
            any = true;
        }
    if (m_threshold) {
        low = std::min(low, *m_threshold);
        high = std::max(high, *m_threshold);
    }
    // Whole intervals, half an interval of room on each side.
    m_intervals->setRange(first - 0.5, last + 0.5);
    m_intervals->setTickInterval(std::max(1.0, std::ceil((last - first + 1) / 5)));
    if (m_percent)
        m_values->setRange(std::max(0.0, std::floor(low - 1)), 100);
    else
        m_values->setRange(0, high * 1.15);
    // The threshold across the whole width.
    m_limit->replace(m_threshold
                         ? QList<QPointF> {{first - 0.5, *m_threshold}, {last + 0.5, *m_threshold}}
                         : QList<QPointF> {});
    // The dashed line is named in the chart's title, not in the legend.
    for (auto *marker : m_chart->legend()->markers(m_limit))
        marker->setVisible(false);
}

void IntervalChart::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    // About 45 px a tick of the plot (the title and legend take some 80 px of the height).
    m_values->setTickCount(std::clamp((height() - 80) / 45 + 1, 2, 5));
}

void IntervalChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
    QWidget::changeEvent(event);
}

void IntervalChart::applyTheme()
{
    charts::applyTheme(m_chart, this);
    m_candidate->setPen(QPen(charts::candidateColour(), 2));
    m_stable->setPen(QPen(charts::stableColour(), 2));
    QPen limit(charts::thresholdColour(), 1.5, Qt::DashLine);
    m_limit->setPen(limit);
}

} // namespace meshscope::ui
