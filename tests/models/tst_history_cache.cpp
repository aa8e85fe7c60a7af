// The history the app has seen, kept across a meshd restart: constructed histories, no meshd,
// no clock (times come from the histories).
#include <QTest>

#include "models/history_cache.h"

using meshcore::admin::HistoryPoint;
using meshcore::admin::ServiceHistory;
using meshscope::models::HistoryCache;

namespace {

constexpr std::int64_t T0 = 1'700'000'000; // a multiple of 10 and of 60

// `count` points of `step` seconds from `first`, each with `requests` (a rate to match).
ServiceHistory history(std::int64_t first, int count, int step, std::int64_t requests)
{
    ServiceHistory h;
    h.service = "catalog";
    h.ns = "shop";
    h.stepSeconds = step;
    for (int i = 0; i < count; ++i) {
        HistoryPoint p;
        p.timeUnix = first + std::int64_t(i) * step;
        p.traffic.requests = requests;
        p.traffic.rps = static_cast<double>(requests) / step;
        if (requests > 0)
            p.traffic.successRate = 1.0;
        h.points.push_back(p);
    }
    return h;
}

std::int64_t requestsAt(const ServiceHistory &h, std::int64_t time)
{
    for (const auto &p : h.points)
        if (p.timeUnix == time)
            return p.traffic.requests;
    return -1; // no point: a gap
}

} // namespace

class TestHistoryCache : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aRunningMeshdsAnswerIsTakenAsItIs()
    {
        HistoryCache cache;
        const auto fresh = history(T0, 90, 10, 5);
        const auto merged = cache.merged("catalog.shop", fresh, (T0 - 3600) * 1000);
        QCOMPARE(merged, fresh);
    }

    void pointsBeforeMeshdStartedAreGapsUnlessTheAppSawThem()
    {
        HistoryCache cache;
        // The first meshd ran from T0 - 100: the app saw 90 points of 15 minutes, the 20 from
        // the start on with requests.
        auto first = history(T0 - 800, 90, 10, 0);
        for (auto &p : first.points)
            if (p.timeUnix >= T0 - 100) {
                p.traffic.requests = 7;
                p.traffic.rps = 0.7;
            }
        const auto seen = cache.merged("catalog.shop", first, (T0 - 100) * 1000);
        QCOMPARE(requestsAt(seen, T0 - 110), -1); // before that meshd: nobody counted
        QCOMPARE(requestsAt(seen, T0 - 100), 7);
        QCOMPARE(requestsAt(seen, T0 + 90), 7);
        QCOMPARE(seen.points.size(), std::size_t(20));

        // It went away at T0 + 100; a new one started at T0 + 195 and answers 15 minutes again,
        // zeros for all it did not count.
        auto fresh = history(T0 - 600, 90, 10, 0);
        for (auto &p : fresh.points)
            if (p.timeUnix >= T0 + 190)
                p.traffic.requests = 3;
        const auto merged = cache.merged("catalog.shop", fresh, (T0 + 195) * 1000);
        QCOMPARE(merged.stepSeconds, 10);
        QCOMPARE(merged.service, std::string("catalog"));
        QCOMPARE(requestsAt(merged, T0 - 100), 7); // the old meshd's, kept
        QCOMPARE(requestsAt(merged, T0 + 90), 7);
        QCOMPARE(requestsAt(merged, T0 + 100), -1); // neither meshd counted: a gap, not a zero
        QCOMPARE(requestsAt(merged, T0 + 180), -1);
        QCOMPARE(requestsAt(merged, T0 + 190), 3); // the slot meshd started in is its own
        QCOMPARE(requestsAt(merged, T0 + 290), 3);
        QCOMPARE(requestsAt(merged, T0 - 300), -1); // in the window, never counted
        QCOMPARE(requestsAt(merged, T0 - 610), -1); // outside the answer's window
        for (std::size_t i = 1; i < merged.points.size(); ++i)
            QVERIFY(merged.points[i - 1].timeUnix < merged.points[i].timeUnix); // oldest first
    }

    void theLatestAnswerWinsFromMeshdsStartOn()
    {
        HistoryCache cache;
        const std::int64_t started = (T0 - 1000) * 1000;
        cache.merged("catalog.shop", history(T0 - 890, 90, 10, 1), started);
        // The last slot was still filling; later it has more, and so have all others.
        const auto merged = cache.merged("catalog.shop", history(T0 - 880, 90, 10, 4), started);
        QCOMPARE(merged.points.size(), std::size_t(90));
        QCOMPARE(requestsAt(merged, T0 - 880), 4);
        QCOMPARE(requestsAt(merged, T0), 4);
    }

    void anUnknownStartTimeTakesEveryPointAsSeen()
    {
        HistoryCache cache;
        const auto fresh = history(T0, 30, 10, 0);
        QCOMPARE(cache.merged("catalog.shop", fresh, 0), fresh);
    }

    void stepsAndFocusesAreKeptApart()
    {
        HistoryCache cache;
        const std::int64_t started = (T0 - 7200) * 1000;
        cache.merged("catalog.shop", history(T0, 90, 10, 2), started);
        cache.merged("catalog.shop", history(T0, 60, 60, 9), started);
        cache.merged("frontend.shop>catalog.shop", history(T0, 30, 10, 1), started);
        QCOMPARE(cache.pointCount("catalog.shop", 10), std::size_t(90));
        QCOMPARE(cache.pointCount("catalog.shop", 60), std::size_t(60));
        QCOMPARE(cache.pointCount("frontend.shop>catalog.shop", 10), std::size_t(30));
        // After a restart, each focus and step gets back its own.
        const std::int64_t restarted = (T0 + 4000) * 1000;
        const auto tenSeconds = cache.merged("catalog.shop", history(T0, 90, 10, 0), restarted);
        QCOMPARE(requestsAt(tenSeconds, T0 + 10), 2);
        const auto minutes = cache.merged("catalog.shop", history(T0, 60, 60, 0), restarted);
        QCOMPARE(requestsAt(minutes, T0 + 60), 9);
        const auto edge
            = cache.merged("frontend.shop>catalog.shop", history(T0, 30, 10, 0), restarted);
        QCOMPARE(requestsAt(edge, T0 + 10), 1);
    }

    void anHourIsKeptPerFocus()
    {
        HistoryCache cache;
        const std::int64_t started = (T0 - 100000) * 1000;
        for (int i = 0; i < 50; ++i) // 50 polls of 15 minutes, 10 minutes apart: 8 hours
            cache.merged("catalog.shop", history(T0 + std::int64_t(i) * 600, 90, 10, 1), started);
        QCOMPARE(cache.pointCount("catalog.shop", 10), std::size_t(360));
    }

    void theLeastRecentlyMergedFocusGoesFirst()
    {
        HistoryCache cache(HistoryCache::Limits {3600, 3});
        const std::int64_t started = (T0 - 1000) * 1000;
        for (const char *key : {"a.ns", "b.ns", "c.ns"})
            cache.merged(key, history(T0, 10, 10, 1), started);
        cache.merged("a.ns", history(T0, 10, 10, 1), started); // a is used again
        cache.merged("d.ns", history(T0, 10, 10, 1), started);
        QCOMPARE(cache.keys(), std::size_t(3));
        QCOMPARE(cache.pointCount("b.ns", 10), std::size_t(0)); // the oldest went
        QCOMPARE(cache.pointCount("a.ns", 10), std::size_t(10));
        QCOMPARE(cache.pointCount("c.ns", 10), std::size_t(10));
        QCOMPARE(cache.pointCount("d.ns", 10), std::size_t(10));
        cache.clear();
        QCOMPARE(cache.keys(), std::size_t(0));
    }

    void anEmptyAnswerStaysEmpty()
    {
        HistoryCache cache;
        cache.merged("catalog.shop", history(T0, 10, 10, 1), 0);
        ServiceHistory empty;
        empty.service = "catalog";
        QCOMPARE(cache.merged("catalog.shop", empty, 0), empty);
    }
};

QTEST_GUILESS_MAIN(TestHistoryCache)
#include "tst_history_cache.moc"
