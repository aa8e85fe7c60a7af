#include "ui/charts/history_charts.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <limits>

#include "ui/charts/time_range_selector.h"
#include "ui/charts/time_series_chart.h"

namespace meshscope::ui {

HistoryCharts::HistoryCharts(QWidget *parent, int rangeSeconds)
    : QWidget(parent)
    , m_range(new TimeRangeSelector(this, rangeSeconds))
    , m_rate(new TimeSeriesChart(tr("Request rate"), tr("rps"), {tr("requests/s")}, false, this))
    , m_success(new TimeSeriesChart(tr("Success rate"), tr("%"), {tr("success")}, true, this))
    , m_latency(new TimeSeriesChart(tr("Latency"), tr("ms"), {tr("p50"), tr("p95"), tr("p99")},
                                    false, this))
{
    auto *title = new QLabel(tr("Over the last"), this);
    title->setForegroundRole(QPalette::PlaceholderText);
    auto *header = new QHBoxLayout;
    header->setContentsMargins(0, 0, 0, 0);
    header->addStretch();
    header->addWidget(title);
    header->addWidget(m_range);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(header);
    layout->addWidget(m_rate);
    layout->addWidget(m_success);
    layout->addWidget(m_latency);
    connect(m_range, &TimeRangeSelector::rangeChanged, this, [this](int seconds) {
        draw(); // what there is, over the new range, until the answer for it comes
        Q_EMIT rangeChanged(seconds);
    });
    draw();
}

int HistoryCharts::rangeSeconds() const
{
    return m_range->rangeSeconds();
}

void HistoryCharts::setRangeSeconds(int seconds)
{
    m_range->setRangeSeconds(seconds);
    draw();
}

void HistoryCharts::showHistory(const meshcore::admin::ServiceHistory *history)
{
    if (history)
        m_history = *history;
    else
        m_history.reset();
    draw();
}

void HistoryCharts::draw()
{
    constexpr double NoData = std::numeric_limits<double>::quiet_NaN();
    QList<QPointF> rate;
    QList<QPointF> success;
    QList<QList<QPointF>> latency(3);
    int step = 0;
    if (m_history) {
        step = m_history->stepSeconds;
        for (const auto &point : m_history->points) {
            const double x = static_cast<double>(point.timeUnix) * 1000.0;
            const auto &traffic = point.traffic;
            const bool any = traffic.requests > 0; // no requests: no success rate, no latency
            rate.append({x, traffic.rps});
            success.append({x, any ? traffic.successRate.value_or(1.0) * 100 : NoData});
            latency[0].append({x, any ? traffic.p50Ms : NoData});
            latency[1].append({x, any ? traffic.p95Ms : NoData});
            latency[2].append({x, any ? traffic.p99Ms : NoData});
        }
    }
    for (auto *chart : {m_rate, m_success, m_latency})
        chart->setStepSeconds(step);
    m_rate->setPoints(0, rate);
    m_success->setPoints(0, success);
    for (int i = 0; i < 3; ++i)
        m_latency->setPoints(i, latency[i]);
    // One window for all three, ending where the last point's slot ends.
    double to = 0;
    if (m_history && !m_history->points.empty())
        to = static_cast<double>(m_history->points.back().timeUnix + std::max(step, 0)) * 1000.0;
    const double from = to > 0 ? to - rangeSeconds() * 1000.0 : 0;
    for (auto *chart : {m_rate, m_success, m_latency})
        chart->rescale(from, to);
}

} // namespace meshscope::ui
