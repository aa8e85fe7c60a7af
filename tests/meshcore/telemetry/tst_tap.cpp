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
        std::vector<TapEvent> got;
        QCOMPARE(subscription->take(got), std::uint64_t(2));
        QCOMPARE(got.size(), std::size_t(3));
        QCOMPARE(got.front().path, std::string("/2"));
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
        QCOMPARE(hub.subscribers(), 2);
        hub.publish(tapEvent("api.shop", "/", 200));
        hub.publish(tapEvent("api.shop", "/", 502));
        std::vector<TapEvent> a;
        std::vector<TapEvent> f;
        all->take(a);
        failed->take(f);
        QCOMPARE(a.size(), std::size_t(2));
        QCOMPARE(f.size(), std::size_t(1));
        QCOMPARE(f.front().status, 502u);
    }
};

QTEST_GUILESS_MAIN(TestTap)
#include "tst_tap.moc"
