#include "ui/charts/time_series_chart.h"

#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QEvent>
#include <QLegendMarker>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

#include "ui/charts/chart_look.h"
#include "ui/charts/nice_scale.h"

namespace meshscope::ui {

namespace {

// The runs of points with data: a NaN, or a distance over `maxGap`, ends a run.
QList<QList<QPointF>> runsOf(const QList<QPointF> &points, double maxGap)
{
    QList<QList<QPointF>> runs;
    QList<QPointF> run;
    for (const auto &point : points) {
        const bool broken = !std::isfinite(point.y())
            || (!run.isEmpty() && maxGap > 0 && point.x() - run.last().x() > maxGap);
        if (broken && !run.isEmpty())
            runs << std::exchange(run, {});
        if (std::isfinite(point.y()))
            run << point;
    }
    if (!run.isEmpty())
        runs << run;
    return runs;
}

QPen linePen(int index)
{
    return {charts::seriesColour(index), 2};
}

} // namespace

TimeSeriesChart::TimeSeriesChart(const QString &title, const QString &unit,
                                 const QStringList &seriesNames, bool percent, QWidget *parent)
    : QWidget(parent)
    , m_chart(new QChart)
    , m_view(new QChartView(m_chart, this))
    , m_time(new QCategoryAxis)
    , m_values(new QValueAxis)
    , m_names(seriesNames)
    , m_unit(unit)
    , m_percent(percent)
{
    m_chart->setTitle(title);
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_chart->legend()->setVisible(seriesNames.size() > 1);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_time->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_values->setTitleText(unit);
    m_chart->addAxis(m_time, Qt::AlignBottom);
    m_chart->addAxis(m_values, Qt::AlignLeft);
    m_points.resize(seriesNames.size());
    m_segments.resize(seriesNames.size());
    for (int i = 0; i < seriesNames.size(); ++i)
        segment(i, 0); // the one the legend names
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(150);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    applyTheme();
    rescale();
}

QLineSeries *TimeSeriesChart::segment(int index, int n)
{
    auto &segments = m_segments[index];
    while (segments.size() <= n) {
        auto *series = new QLineSeries;
        series->setName(m_names[index]);
        m_chart->addSeries(series);
        series->attachAxis(m_time);
        series->attachAxis(m_values);
        series->setPen(linePen(index));
        series->setMarkerSize(5); // a run of one point is drawn as a dot
        if (!segments.isEmpty())
            for (auto *marker : m_chart->legend()->markers(series))
                marker->setVisible(false); // one legend entry per series
        segments << series;
    }
    return segments[n];
}

void TimeSeriesChart::setPoints(int index, const QList<QPointF> &points)
{
    if (index < 0 || index >= m_points.size())
        return;
    m_points[index] = points;
    for (int i = 0; i < m_points.size(); ++i) // the step may follow from these points
        drawSegments(i);
}

void TimeSeriesChart::setStepSeconds(int seconds)
{
    if (m_stepSeconds == seconds)
        return;
    m_stepSeconds = seconds;
    for (int i = 0; i < m_points.size(); ++i)
        drawSegments(i);
}

// A gap is a distance over one step and a half.
double TimeSeriesChart::maxGapMs() const
{
    double step = m_stepSeconds * 1000.0;
    if (step <= 0)
        for (const auto &points : m_points)
            for (qsizetype i = 1; i < points.size(); ++i) {
                const double distance = points[i].x() - points[i - 1].x();
                if (distance > 0 && (step <= 0 || distance < step))
                    step = distance;
            }
    return step * 1.5;
}

void TimeSeriesChart::drawSegments(int index)
{
    const auto runs = runsOf(m_points[index], maxGapMs());
    for (int n = 0; n < runs.size(); ++n) {
        auto *line = segment(index, n);
        line->replace(runs[n]);
        line->setPointsVisible(runs[n].size() == 1);
    }
    for (qsizetype n = runs.size(); n < m_segments[index].size(); ++n)
        m_segments[index][n]->clear();
}

QList<QPointF> TimeSeriesChart::points(int index) const
{
    return index >= 0 && index < m_points.size() ? m_points[index] : QList<QPointF>();
}

int TimeSeriesChart::segmentCount(int index) const
{
    if (index < 0 || index >= m_segments.size())
        return 0;
    return static_cast<int>(std::count_if(m_segments[index].begin(), m_segments[index].end(),
                                          [](const QLineSeries *s) { return s->count() > 0; }));
}

void TimeSeriesChart::rescale(double from, double to)
{
    m_from = from;
    m_to = to;
    double first = std::numeric_limits<double>::max();
    double last = std::numeric_limits<double>::lowest();
    for (const auto &points : m_points)
        for (const auto &point : points) {
            first = std::min(first, point.x());
            last = std::max(last, point.x());
        }
    if (to > from) {
        first = from;
        last = to;
    } else if (first >= last) { // nothing yet: the last 15 minutes, empty
        last = static_cast<double>(QDateTime::currentMSecsSinceEpoch());
        first = last - 15 * 60 * 1000.0;
    }
    double low = std::numeric_limits<double>::max();
    double high = std::numeric_limits<double>::lowest();
    for (const auto &points : m_points)
        for (const auto &point : points)
            if (std::isfinite(point.y()) && point.x() >= first && point.x() <= last) {
                low = std::min(low, point.y());
                high = std::max(high, point.y());
            }
    if (low > high) {
        low = m_percent ? 100 : 0;
        high = m_percent ? 100 : 0;
    }
    scaleTime(first, last);
    scaleValues(low, high);
}

// Labels at round minutes, about 70 px apart at most.
void TimeSeriesChart::scaleTime(double first, double last)
{
    for (const auto &label : m_time->categoriesLabels())
        m_time->remove(label);
    const int maxTicks = std::max(2, (width() - 60) / 70);
    m_time->setStartValue(first);
    for (const double tick : charts::roundMinuteTicks(first, last, maxTicks))
        m_time->append(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(tick))
                           .toString(QStringLiteral("HH:mm")),
                       tick);
    m_time->setRange(first, last);
}

// From zero (or, for a percentage, from a little below the lowest value to 100), in round steps
// about 30 px apart at least.
void TimeSeriesChart::scaleValues(double low, double high)
{
    const int maxIntervals = std::clamp((height() - 80) / 30, 2, 5);
    const auto scale = m_percent ? charts::niceScale(std::min(low, 99.0), 100, maxIntervals)
                                 : charts::niceScale(0, std::max(high, 0.0), maxIntervals);
    m_values->setRange(scale.min, scale.max);
    m_values->setTickType(QValueAxis::TicksFixed);
    m_values->setTickCount(scale.ticks);
    m_values->setLabelFormat(QStringLiteral("%.%1f").arg(scale.decimals));
}

void TimeSeriesChart::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    rescale(m_from, m_to);
}

void TimeSeriesChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
    QWidget::changeEvent(event);
}

void TimeSeriesChart::applyTheme()
{
    charts::applyTheme(m_chart, this);
    // The theme gives each line a colour of its own: the runs of a series share one.
    for (int i = 0; i < m_segments.size(); ++i)
        for (auto *line : m_segments[i]) {
            line->setPen(linePen(i));
            line->setBrush(charts::seriesColour(i));
        }
}

} // namespace meshscope::ui
