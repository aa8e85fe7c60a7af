#include "ui/charts/time_series_chart.h"

#include <QChart>
#include <QChartView>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QEvent>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace meshscope::ui {

TimeSeriesChart::TimeSeriesChart(const QString &title, const QString &unit,
                                 const QStringList &seriesNames, bool percent, QWidget *parent)
    : QWidget(parent)
    , m_chart(new QChart)
    , m_view(new QChartView(m_chart, this))
    , m_time(new QDateTimeAxis)
    , m_values(new QValueAxis)
    , m_unit(unit)
    , m_percent(percent)
{
    m_chart->setTitle(title);
    m_chart->setMargins(QMargins(2, 2, 2, 2));
    m_chart->legend()->setVisible(seriesNames.size() > 1);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_time->setFormat(QStringLiteral("HH:mm"));
    m_time->setTickCount(4);
    m_values->setLabelFormat(percent ? QStringLiteral("%.1f") : QStringLiteral("%.3g"));
    m_values->setTitleText(unit);
    m_values->setTickCount(4);
    m_chart->addAxis(m_time, Qt::AlignBottom);
    m_chart->addAxis(m_values, Qt::AlignLeft);
    for (const auto &name : seriesNames) {
        auto *series = new QLineSeries;
        series->setName(name);
        m_chart->addSeries(series);
        series->attachAxis(m_time);
        series->attachAxis(m_values);
        m_series.append(series);
    }
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(150);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    applyTheme();
    rescale();
}

void TimeSeriesChart::setPoints(int index, const QList<QPointF> &points)
{
    if (index >= 0 && index < m_series.size())
        m_series[index]->replace(points);
}

QList<QPointF> TimeSeriesChart::points(int index) const
{
    return index >= 0 && index < m_series.size() ? m_series[index]->points() : QList<QPointF>();
}

void TimeSeriesChart::rescale(double from, double to)
{
    double first = 1e300;
    double last = -1e300;
    double low = 1e300;
    double high = -1e300;
    for (const auto *series : m_series)
        for (const auto &point : series->points()) {
            first = std::min(first, point.x());
            last = std::max(last, point.x());
            low = std::min(low, point.y());
            high = std::max(high, point.y());
        }
    if (first > last) { // nothing yet: the last 15 minutes, empty
        const auto now = static_cast<double>(QDateTime::currentMSecsSinceEpoch());
        first = now - 15 * 60 * 1000.0;
        last = now;
        low = 0;
        high = m_percent ? 100 : 1;
    }
    if (to > from) {
        first = from;
        last = to;
    }
    // Minutes read well over a quarter of an hour; seconds when the window is short.
    m_time->setFormat(last - first < 5 * 60 * 1000.0 ? QStringLiteral("HH:mm:ss")
                                                     : QStringLiteral("HH:mm"));
    m_time->setRange(QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(first)),
                     QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(last)));
    if (m_percent) {
        const double bottom = std::max(0.0, std::floor(std::min(low, 99.0) - 0.5));
        m_values->setRange(bottom, 100);
    } else {
        m_values->setRange(0, high <= 0 ? 1 : high * 1.15);
    }
}

void TimeSeriesChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
    QWidget::changeEvent(event);
}

void TimeSeriesChart::applyTheme()
{
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    const QString title = m_chart->title();
    m_chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    m_chart->setBackgroundBrush(palette().brush(QPalette::Base));
    m_chart->setTitle(title);
}

} // namespace meshscope::ui
