#include <QTest>

#include "telemetry/tap.h"

using meshcore::telemetry::TapEvent;
using meshcore::telemetry::TapFilter;
using meshcore::telemetry::TapHub;

namespace {

TapEvent tapEvent(const std::string &to, const std::string &path, unsigned status)
{
    TapEvent e;
    e.sourceService = "web.shop";
    e.destinationService = to;
    e.method = "GET";
    e.path = path;
    e.route = "default";
    e.status = status;
    return e;
}

} // namespace

class TestTap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void filtersMatchServicesByNameOrFullName()
    {
        TapFilter filter;
        filter.service = "api";
        QVERIFY(filter.matches(tapEvent("api.shop", "/", 200)));
        QVERIFY(!filter.matches(tapEvent("apix.shop", "/", 200)));
        QVERIFY(!filter.matches(tapEvent("api2.shop", "/", 200)));
        filter.service = "api.shop";
        QVERIFY(filter.matches(tapEvent("api.shop", "/", 200)));
        QVERIFY(!filter.matches(tapEvent("api.other", "/", 200)));
        filter.service = "api.sh"; // a dotted name is never a prefix
        QVERIFY(!filter.matches(tapEvent("api.shop", "/", 200)));
    }

    void filtersOnStatusClassPathAndMethod()
    {
        TapFilter filter;
        filter.statusClass = 5;
        filter.pathPrefix = "/a";
        QVERIFY(filter.matches(tapEvent("api.shop", "/a/b", 503)));
        QVERIFY(!filter.matches(tapEvent("api.shop", "/a/b", 404)));
        QVERIFY(!filter.matches(tapEvent("api.shop", "/b", 500)));
        filter.method = "POST";
        QVERIFY(!filter.matches(tapEvent("api.shop", "/a", 500)));
        QCOMPARE(meshcore::telemetry::parseStatusClass("5xx"), std::optional<unsigned>(5));
        QCOMPARE(meshcore::telemetry::parseStatusClass(""), std::optional<unsigned>(0));
        QVERIFY(!meshcore::telemetry::parseStatusClass("6xx"));
        QVERIFY(!meshcore::telemetry::parseStatusClass("500"));
    }

    void aSlowReaderLosesTheOldestAndIsTold()
    {
        TapHub hub;
        QVERIFY(!hub.active());
        hub.publish(tapEvent("api.shop", "/before", 200)); // nobody listens: nothing kept anywhere
        auto subscription = hub.subscribe({}, 3);
        QVERIFY(hub.active());
        for (int i = 0; i < 5; ++i)
            hub.publish(tapEvent("api.shop", "/" + std::to_string(i), 200));
        std::vector<TapHub::Event> got;
        QCOMPARE(subscription->take(got), std::uint64_t(2));
        QCOMPARE(got.size(), std::size_t(3));
        QCOMPARE(got.front()->path, std::string("/2"));
        QCOMPARE(subscription->take(got), std::uint64_t(0));
        subscription.reset();
        QVERIFY(!hub.active());
    }

    void eachSubscriberGetsWhatItsFilterLetsThrough()
    {
        TapHub hub;
        TapFilter failures;
        failures.statusClass = 5;
        auto all = hub.subscribe({});
        auto failed = hub.subscribe(failures);
        TapFilter toApi;
        toApi.service = "api";
        auto api = hub.subscribe(toApi); // after others that took the event: it still sees it whole
        QCOMPARE(hub.subscribers(), 3);
        hub.publish(tapEvent("api.shop", "/", 200));
        hub.publish(tapEvent("api.shop", "/", 502));
        std::vector<TapHub::Event> a;
        std::vector<TapHub::Event> f;
        all->take(a);
        failed->take(f);
        QCOMPARE(a.size(), std::size_t(2));
        QCOMPARE(f.size(), std::size_t(1));
        QCOMPARE(f.front()->status, 502u);
        QCOMPARE(f.front().get(), a.back().get()); // one copy, shared
        std::vector<TapHub::Event> toApiEvents;
        api->take(toApiEvents);
        QCOMPARE(toApiEvents.size(), std::size_t(2));
    }

    void longStringsCountByTheirBytes()
    {
        const auto small = TapHub::footprint(tapEvent("api.shop", "/", 200));
        const auto large
            = TapHub::footprint(tapEvent("api.shop", "/" + std::string(100000, 'x'), 200));
        QVERIFY(small >= sizeof(TapEvent));
        QVERIFY2(large >= small + 100000, qPrintable(QString::number(large)));
    }

    void aTapHoldsAtMostItsBytesAndIsToldWhatItLost()
    {
        const std::size_t tapBytes = 64 * 1024;
        TapHub hub({tapBytes, 1 << 20, 10000});
        auto subscription = hub.subscribe({});
        const auto big = tapEvent("api.shop", "/" + std::string(10000, 'p'), 200);
        const auto each = TapHub::footprint(big);
        for (int i = 0; i < 100; ++i) {
            auto event = big;
            event.method = std::to_string(i);
            hub.publish(event);
            QVERIFY(subscription->bytes() <= tapBytes);
        }
        const auto kept = subscription->size();
        QCOMPARE(kept, tapBytes / each);
        std::vector<TapHub::Event> got;
        QCOMPARE(subscription->take(got), std::uint64_t(100 - kept));
        QCOMPARE(got.back()->method, std::string("99")); // the newest are kept
        QCOMPARE(subscription->bytes(), std::size_t(0));
    }

    void allTapsTogetherStayInTheirTotal()
    {
        const std::size_t total = 256 * 1024;
        TapHub hub({128 * 1024, total, 10000});
        std::vector<std::shared_ptr<TapHub::Subscription>> taps;
        const auto event = tapEvent("api.shop", "/" + std::string(1000, 'p'), 200);
        for (int t = 0; t < 32; ++t) {
            taps.push_back(hub.subscribe({}));
            for (int i = 0; i < 300; ++i)
                hub.publish(event);
            QVERIFY2(hub.bytes() <= total, qPrintable(QString::number(hub.bytes())));
        }
        // Each of the 32 holds its share, none more: the ones opened first shrank.
        for (const auto &tap : taps)
            QVERIFY(tap->bytes() <= total / 32
                    && tap->bytes() + TapHub::footprint(event) > total / 32);
        // A tap whose filter lets nothing through holds nothing.
        TapFilter none;
        none.service = "nothing";
        auto idle = hub.subscribe(none);
        hub.publish(event);
        QCOMPARE(idle->bytes(), std::size_t(0));
    }

    void takeHandsOutAtMostTheBytesAsked()
    {
        TapHub hub;
        auto subscription = hub.subscribe({});
        const auto event = tapEvent("api.shop", "/" + std::string(1000, 'p'), 200);
        for (int i = 0; i < 10; ++i)
            hub.publish(event);
        const auto each = TapHub::footprint(event);
        std::vector<TapHub::Event> got;
        subscription->take(got, 3 * each);
        QCOMPARE(got.size(), std::size_t(3));
        subscription->take(got, 1); // at least one, however small the budget
        QCOMPARE(got.size(), std::size_t(4));
        QCOMPARE(subscription->size(), std::size_t(6));
        QCOMPARE(subscription->bytes(), 6 * each);
    }

    void closingATapLetsGoOfItsEvents()
    {
        TapHub hub;
        auto kept = hub.subscribe({});
        auto closed = hub.subscribe({});
        hub.publish(tapEvent("api.shop", "/", 200));
        std::vector<TapHub::Event> got;
        kept->take(got);
        QCOMPARE(got.front().use_count(), 2); // here and in the tap still open
        closed.reset();
        QCOMPARE(got.front().use_count(), 1);
        QCOMPARE(hub.subscribers(), 1);
        kept.reset();
        QVERIFY(!hub.active());
        QCOMPARE(hub.bytes(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestTap)
#include "tst_tap.moc"
