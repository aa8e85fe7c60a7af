#include "ui/traffic_charts.h"

#include <QVBoxLayout>

#include "ui/charts/time_series_chart.h"

namespace meshscope::ui {

TrafficCharts::TrafficCharts(QWidget *parent)
    : QWidget(parent)
    , m_rate(new TimeSeriesChart(tr("Request rate"), tr("rps"), {tr("requests/s")}, false, this))
    , m_success(new TimeSeriesChart(tr("Success rate"), tr("%"), {tr("success")}, true, this))
    , m_latency(new TimeSeriesChart(tr("Latency"), tr("ms"), {tr("p50"), tr("p95"), tr("p99")},
                                    false, this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_rate);
    layout->addWidget(m_success);
    layout->addWidget(m_latency);
}

void TrafficCharts::showHistory(const meshcore::admin::ServiceHistory *history)
{
    QList<QPointF> rate;
    QList<QPointF> success;
    QList<QPointF> p50;
    QList<QPointF> p95;
    QList<QPointF> p99;
    if (history)
        for (const auto &point : history->points) {
            const double x = static_cast<double>(point.timeUnix) * 1000.0;
            rate.append({x, point.traffic.rps});
            if (point.traffic.requests == 0)
                continue; // no requests: no success rate, no latency
            success.append({x, point.traffic.successRate.value_or(1.0) * 100});
            p50.append({x, point.traffic.p50Ms});
            p95.append({x, point.traffic.p95Ms});
            p99.append({x, point.traffic.p99Ms});
        }
    m_rate->setPoints(0, rate);
    m_success->setPoints(0, success);
    m_latency->setPoints(0, p50);
    m_latency->setPoints(1, p95);
    m_latency->setPoints(2, p99);
    // The same time axis for all three: the span of the history.
    const double from = rate.isEmpty() ? 0 : rate.first().x();
    const double to = rate.isEmpty() ? 0 : rate.last().x();
    m_rate->rescale(from, to);
    m_success->rescale(from, to);
    m_latency->rescale(from, to);
}

} // namespace meshscope::ui
