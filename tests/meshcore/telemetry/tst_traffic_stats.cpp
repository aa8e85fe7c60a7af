// Edge statistics at chosen instants: the sliding window takes whole past seconds only, rates
// and success rates add up, percentiles land in the right place, history keeps 15 minutes of
// 10-s points and an hour of minutes; edges to unknown names are bounded.
#include <QTest>

#include <algorithm>

#include "telemetry/traffic_stats.h"
#include "telemetry/unknown_names.h"

using namespace meshcore::telemetry;
using namespace std::chrono_literals;
using Time = std::chrono::system_clock::time_point;

class TestTrafficStats : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theWindowCountsWholePastSeconds()
    {
        EdgeStats stats;
        const Time t0(1'000'000s);
        for (int s = 0; s < 40; ++s)
            for (int i = 0; i < 10; ++i)
                stats.record(t0 + std::chrono::seconds(s), i != 0, 5.0); // one failure a second
        const auto summary = stats.summary(t0 + 40s, 30s); // seconds 10..39
        QCOMPARE(summary.requests, 300u);
        QCOMPARE(summary.failures, 30u);
        QCOMPARE(summary.rps(), 10.0);
        QVERIFY(std::abs(summary.successRate() - 0.9) < 1e-9);
        // The second still filling is left out.
        stats.record(t0 + 40s, true, 5.0);
        QCOMPARE(stats.summary(t0 + 40s, 30s).requests, 300u);
    }

    void percentilesFallInTheRightBuckets()
    {
        EdgeStats stats;
        const Time t0(2'000'000s);
        for (int i = 0; i < 1000; ++i)
            stats.record(t0, true, i < 900 ? 2.0 : 100.0);
        const auto summary = stats.summary(t0 + 1s, 10s);
        // Buckets grow by 1.5x: estimates are within that factor.
        QVERIFY2(summary.p50Ms > 1.3 && summary.p50Ms <= 2.9,
                 qPrintable(QString::number(summary.p50Ms)));
        QVERIFY2(summary.p95Ms > 66 && summary.p95Ms <= 150,
                 qPrintable(QString::number(summary.p95Ms)));
        QVERIFY2(summary.p99Ms > 66 && summary.p99Ms <= 150,
                 qPrintable(QString::number(summary.p99Ms)));
        QCOMPARE(EdgeStats().summary(t0, 10s).p99Ms, 0.0); // nothing recorded: no latency
    }

    void historyKeepsFifteenMinutesInTenSecondPoints()
    {
        EdgeStats stats;
        const Time t0(3'000'000s);
        stats.record(t0, true, 1.0);
        stats.record(t0 + 5min, false, 1.0);
        auto points = stats.history(t0 + 5min);
        QCOMPARE(points.size(), std::size_t(90));
        QCOMPARE(points.back().summary.failures, 1u);
        QCOMPARE(points.front().unixSeconds, 3'000'300 - 89 * 10);
        std::uint64_t total = 0;
        for (const auto &p : points)
            total += p.summary.requests;
        QCOMPARE(total, 2u);
        // Sixteen minutes on, the first request has left the history.
        points = stats.history(t0 + 16min);
        total = 0;
        for (const auto &p : points)
            total += p.summary.requests;
        QCOMPARE(total, 1u);
    }

    void anHourOfMinutesBesideTheTenSecondPoints()
    {
        EdgeStats stats;
        const Time t0(3'600'000s); // a whole minute
        // One request a minute for 70 minutes, the last one failed; then one recorded late, 69
        // minutes in the past, whose minute's slot holds a newer minute: it wipes nothing.
        for (int m = 0; m < 70; ++m)
            stats.record(t0 + std::chrono::minutes(m), m != 69, 1.0);
        stats.record(t0 + 30s, true, 1.0);
        const auto now = t0 + 69min + 20s;
        auto hour = stats.history(now, EdgeStats::Hour);
        QCOMPARE(hour.size(), std::size_t(60));
        QCOMPARE(hour.back().unixSeconds, 3'600'000 + 69 * 60); // the minute still filling
        QCOMPARE(hour.front().unixSeconds, 3'600'000 + 10 * 60); // minutes 0..9 have left
        QCOMPARE(hour.back().summary.failures, 1u);
        QCOMPARE(hour.back().summary.seconds, 60.0);
        std::uint64_t total = 0;
        for (const auto &p : hour)
            total += p.summary.requests;
        QCOMPARE(total, 60u);
        // The 10-s points of the same edge still cover 15 minutes, and 5 minutes is their tail.
        const auto fifteen = stats.history(now, EdgeStats::FifteenMinutes);
        const auto five = stats.history(now, EdgeStats::FiveMinutes);
        QCOMPARE(fifteen.size(), std::size_t(90));
        QCOMPARE(five.size(), std::size_t(30));
        QCOMPARE(five.back().unixSeconds, fifteen.back().unixSeconds);
        QCOMPARE(five.front().unixSeconds, fifteen[60].unixSeconds);
        // An hour and a minute after the last request, nothing is left in the minutes either.
        const auto later = stats.history(t0 + 69min + 61min, EdgeStats::Hour);
        QVERIFY(std::all_of(later.begin(), later.end(),
                            [](const auto &p) { return p.summary.requests == 0; }));
        // A slot of the ring reused an hour later holds the newer minute only.
        EdgeStats reused;
        reused.record(t0 + 30s, true, 1.0);
        reused.record(t0 + 60min + 30s, true, 1.0); // the same slot of the ring, an hour later
        const auto points = reused.history(t0 + 60min + 40s, EdgeStats::Hour);
        QCOMPARE(points.back().summary.requests, 1u);
        qInfo("EdgeStats: %zu bytes per edge (60 s + 90 x 10 s + 60 x 1 min)", sizeof(EdgeStats));
    }

    void edgesAreKeptPerKey()
    {
        TrafficStats traffic;
        EdgeKey a {"web", "shop", "v1", "id-web", "api", "shop", "v1", "id-api", "default", true};
        EdgeKey b = a;
        b.dstVersion = "v2";
        traffic.edge(a).record(Time(1s), true, 1.0);
        traffic.edge(b).record(Time(1s), true, 1.0);
        QCOMPARE(&traffic.edge(a), &traffic.edge(a));
        QCOMPARE(traffic.edges().size(), std::size_t(2));
    }

    void totalsOfAVersionAddEveryCallerAndDifferenceByInterval()
    {
        TrafficStats traffic;
        EdgeKey fromWeb {"web", "shop", "v1", "", "api", "shop", "v2", "", "default", true};
        EdgeKey fromCli = fromWeb;
        fromCli.srcService = "local-client";
        EdgeKey otherVersion = fromWeb;
        otherVersion.dstVersion = "v1";
        traffic.edge(fromWeb).record(Time(1s), true, 1.0);
        const auto start = traffic.versionTotals("api", "shop", "v2");
        QCOMPARE(start.requests, 1u);
        // An hour later (far past the sliding window and the history), still exact.
        traffic.edge(fromWeb).record(Time(3600s), false, 1.0);
        traffic.edge(fromCli).record(Time(3601s), true, 400.0);
        traffic.edge(otherVersion).record(Time(3601s), false, 1.0);
        const auto interval = traffic.versionTotals("api", "shop", "v2").since(start);
        QCOMPARE(interval.requests, 2u);
        QCOMPARE(interval.failures, 1u);
        QCOMPARE(interval.latency[EdgeStats::bucketOf(400.0)], 1u);
        // A reading from before the counts restarted (a new meshd) gives everything since.
        EdgeStats::Totals older = traffic.versionTotals("api", "shop", "v2");
        older.requests += 100;
        QCOMPARE(traffic.versionTotals("api", "shop", "v2").since(older).requests, 3u);
    }

    void edgesToUnknownNamesAreBoundedAndServicesKeepTheirs()
    {
        TrafficStats traffic;
        const auto unknown = [](const std::string &name) {
            return EdgeKey {
                "local-client", "meshscope-local", "", "id-local", name, "", "", "", "default",
                false};
        };
        const std::size_t extra = 500;
        for (std::size_t i = 0; i < TrafficStats::MaxUnknownEdges + extra; ++i)
            traffic.edge(unknown("name-" + std::to_string(i) + ".example"))
                .record(Time(1s), false, 0.1);
        // The first ones keep their names, and stay where they are.
        auto &first = traffic.edge(unknown("name-0.example"));
        QCOMPARE(&first, &traffic.edge(unknown("name-0.example")));
        const auto edges = traffic.edges();
        QCOMPARE(edges.size(), TrafficStats::MaxUnknownEdges + 1);
        const auto other = std::find_if(edges.begin(), edges.end(), [](const auto &edge) {
            return edge.first.dstService == UnknownNames::Other;
        });
        QVERIFY(other != edges.end());
        QCOMPARE(other->second->summary(Time(2s), 1s).requests,
                 std::uint64_t(extra)); // nothing lost, just pooled

        // However many unknown names came first, a service's edge is its own.
        EdgeKey service {"web",  "shop", "v1",     "id-web",  "api",
                         "shop", "v1",   "id-api", "default", true};
        traffic.edge(service).record(Time(1s), true, 1.0);
        QCOMPARE(traffic.edges().size(), TrafficStats::MaxUnknownEdges + 2);
        QCOMPARE(traffic.edge(service).summary(Time(2s), 1s).requests, std::uint64_t(1));
    }
};

QTEST_GUILESS_MAIN(TestTrafficStats)
#include "tst_traffic_stats.moc"
