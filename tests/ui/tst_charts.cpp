// The traffic charts as a user reads them, offscreen: gaps where there is no data (no zero line
// for time nobody counted; no success or latency without requests), round ticks on both axes,
// and the 5 m / 15 m / 1 h choice.
#include <QCategoryAxis>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <QValueAxis>

#include <cmath>
#include <functional>
#include <limits>

#include "ui/charts/history_charts.h"
#include "ui/charts/nice_scale.h"
#include "ui/charts/time_range_selector.h"
#include "ui/charts/time_series_chart.h"

using meshcore::admin::HistoryPoint;
using meshcore::admin::ServiceHistory;
using meshscope::ui::HistoryCharts;
using meshscope::ui::TimeSeriesChart;

namespace {

constexpr std::int64_t T0 = 1'700'000'000; // a round minute

// 90 points of 10 s from T0 with `rps` each, none where `missing` says, no requests where `idle`.
ServiceHistory history(double rps, const std::function<bool(int)> &missing,
                       const std::function<bool(int)> &idle)
{
    ServiceHistory h;
    h.service = "catalog";
    h.ns = "shop";
    h.stepSeconds = 10;
    for (int i = 0; i < 90; ++i) {
        if (missing(i))
            continue;
        HistoryPoint p;
        p.timeUnix = T0 + std::int64_t(i) * 10;
        if (!idle(i)) {
            p.traffic.requests = static_cast<std::int64_t>(rps * 10);
            p.traffic.rps = rps * (1 + 0.15 * std::sin(i)); // up to 15 % above
            p.traffic.successRate = 0.97 + 0.03 * (i % 2);
            p.traffic.p50Ms = 12;
            p.traffic.p95Ms = 40;
            p.traffic.p99Ms = 87;
        }
        h.points.push_back(p);
    }
    return h;
}

// The values the axis has ticks at.
QList<double> ticksOf(const QValueAxis *axis)
{
    QList<double> ticks;
    for (int i = 0; i < axis->tickCount(); ++i)
        ticks << axis->min() + i * (axis->max() - axis->min()) / (axis->tickCount() - 1);
    return ticks;
}

// 1, 2 or 5 x 10^k.
bool isRound(double step)
{
    const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    return std::abs(mantissa - 1) < 1e-6 || std::abs(mantissa - 2) < 1e-6
        || std::abs(mantissa - 5) < 1e-6;
}

void save(QWidget &widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("MESHSCOPE_GRAB_DIR");
    if (dir.isEmpty())
        return;
    QTest::qWait(100); // the charts lay out their scenes when the event loop runs
    widget.grab().save(dir + "/" + name);
}

} // namespace

class TestCharts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void timeWithoutDataIsAGap()
    {
        HistoryCharts charts;
        charts.resize(440, 640);
        charts.show();
        // meshd started 5 minutes into the window (nothing before: the history cache left those
        // out); a minute of no requests; the app was disconnected from 11 to 12 minutes.
        const auto shown = history(
            3, [](int i) { return i < 30 || (i >= 66 && i < 72); },
            [](int i) { return i >= 40 && i < 46; });
        charts.showHistory(&shown);
        QCOMPARE(charts.rateChart()->segmentCount(0), 2); // 0 rps while idle is a value
        QCOMPARE(charts.successChart()->segmentCount(0), 3); // no requests: no success rate
        for (int i = 0; i < 3; ++i)
            QCOMPARE(charts.latencyChart()->segmentCount(i), 3);
        // The window is the range chosen, ending with the last point's slot.
        auto *time = charts.rateChart()->timeAxis();
        QCOMPARE(time->max(), (T0 + 900) * 1000.0);
        QCOMPARE(time->min(), (T0 + 900) * 1000.0 - 15 * 60 * 1000.0);
        save(charts, QStringLiteral("charts-gaps.png"));
    }

    void aNaNOrAMissingStepBreaksTheLine()
    {
        TimeSeriesChart chart(QStringLiteral("rate"), QStringLiteral("rps"), {QStringLiteral("a")});
        const double nan = std::numeric_limits<double>::quiet_NaN();
        chart.setPoints(0, {{0, 1}, {10000, 2}, {20000, nan}, {30000, 1}, {40000, 1}, {90000, 3}});
        QCOMPARE(chart.segmentCount(0), 3); // a NaN, then 50 s without a point
        QCOMPARE(chart.points(0).size(), 6); // the points as given
        chart.setPoints(0, {{0, 1}, {10000, 2}});
        QCOMPARE(chart.segmentCount(0), 1);
        chart.setStepSeconds(60); // a 1-hour history: a minute apart is no gap
        chart.setPoints(0, {{0, 1}, {60000, 2}, {120000, 2}});
        QCOMPARE(chart.segmentCount(0), 1);
    }

    void ticksAreRound()
    {
        HistoryCharts charts;
        charts.resize(440, 640);
        charts.show();
        const auto shown = history(
            3, [](int) { return false; }, [](int) { return false; });
        charts.showHistory(&shown);
        // Up to 3.45 rps: 0, 1, 2, 3, 4, not 1.15, 2.3, 3.45.
        const QValueAxis *rate = charts.rateChart()->valueAxis();
        QCOMPARE(rate->min(), 0.0);
        QVERIFY(rate->max() >= 3.45 && rate->max() <= 4);
        QCOMPARE(rate->labelFormat(), QStringLiteral("%.0f"));
        const QList<const QValueAxis *> axes
            = {rate, charts.successChart()->valueAxis(), charts.latencyChart()->valueAxis()};
        for (const auto *axis : axes) {
            const auto ticks = ticksOf(axis);
            QVERIFY(ticks.size() >= 3);
            QVERIFY2(isRound(ticks[1] - ticks[0]),
                     qPrintable(QString::number(ticks[1] - ticks[0])));
            for (const double tick : ticks) // every tick a whole number of steps
                QVERIFY(std::abs(std::remainder(tick, ticks[1] - ticks[0])) < 1e-6);
        }
        QCOMPARE(charts.successChart()->valueAxis()->max(), 100.0);
        QVERIFY(charts.successChart()->valueAxis()->min() <= 97);
        QVERIFY(charts.latencyChart()->valueAxis()->max() >= 87);
        // Time labels on round minutes only.
        auto *time = charts.rateChart()->timeAxis();
        QVERIFY(time->count() >= 2);
        for (const auto &label : time->categoriesLabels()) {
            QCOMPARE(std::fmod(time->endValue(label), 60000.0), 0.0);
            QVERIFY(label.contains(QLatin1Char(':')));
        }
        save(charts, QStringLiteral("charts-round.png"));
    }

    void niceScalesAreRound()
    {
        using meshscope::ui::charts::niceScale;
        const auto rate = niceScale(0, 3.45, 4);
        QCOMPARE(rate.min, 0.0);
        QCOMPARE(rate.max, 4.0);
        QCOMPARE(rate.step, 1.0);
        QCOMPARE(rate.ticks, 5);
        const auto percent = niceScale(97.3, 100, 4);
        QCOMPARE(percent.min, 97.0);
        QCOMPARE(percent.max, 100.0);
        const auto small = niceScale(0, 0.034, 4);
        QCOMPARE(small.step, 0.01);
        QCOMPARE(small.decimals, 2);
        const auto idle = niceScale(0, 0, 4); // nothing: 0 to 1, not 0 to 0
        QCOMPARE(idle.max, 1.0);
        const auto latency = niceScale(0, 870, 3);
        QCOMPARE(latency.step, 500.0);
        QCOMPARE(latency.max, 1000.0);
    }

    void theRangeChoiceIsEmittedAndTheWindowFollows()
    {
        HistoryCharts charts;
        charts.resize(440, 640);
        charts.show();
        const auto shown = history(
            1, [](int) { return false; }, [](int) { return false; });
        charts.showHistory(&shown);
        QSignalSpy chosen(&charts, &HistoryCharts::rangeChanged);
        QToolButton *hour = nullptr;
        for (auto *button : charts.rangeSelector()->findChildren<QToolButton *>())
            if (button->text() == QStringLiteral("1 h"))
                hour = button;
        QVERIFY(hour);
        QTest::mouseClick(hour, Qt::LeftButton);
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.first().first().toInt(), 3600);
        QCOMPARE(charts.rangeSeconds(), 3600);
        auto *time = charts.rateChart()->timeAxis();
        QCOMPARE(time->max() - time->min(), 3600 * 1000.0);
        QTest::mouseClick(hour, Qt::LeftButton); // the same range again: nothing to ask
        QCOMPARE(chosen.count(), 1);
        save(charts, QStringLiteral("charts-hour.png"));
        charts.setRangeSeconds(300); // restoring a setting: not a choice of the user
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(time->max() - time->min(), 300 * 1000.0);
    }
};

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
