// A route's deadline on a manual clock: it passes exactly at the timeout, caps waits, gives sockets
// what is left of it, and says what timed out; without a timeout it never passes.
#include <QTest>

#include "proxy/request_context.h"
#include "proxy/timeout.h"

using namespace meshcore::proxy;
using namespace std::chrono_literals;

class TestTimeout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theDeadlinePassesExactlyAtTheTimeout()
    {
        ManualMonotonicClock clock;
        const Deadline deadline(clock, 300ms);
        QVERIFY(!deadline.passed());
        clock.advance(299ms);
        QVERIFY(!deadline.passed());
        clock.advance(1ms);
        QVERIFY(deadline.passed());
    }

    void waitsAreCutToWhatIsLeft()
    {
        ManualMonotonicClock clock;
        const Deadline deadline(clock, 300ms);
        clock.advance(100ms);
        QCOMPARE(deadline.atMost(1s), SteadyDuration(200ms));
        QCOMPARE(deadline.atMost(50ms), SteadyDuration(50ms));
        QVERIFY(deadline.within(200ms));
        QVERIFY(!deadline.within(199ms));
        clock.advance(1s);
        QCOMPARE(deadline.atMost(1s), SteadyDuration::zero());
    }

    void socketsGetWhatIsLeftOnTheirOwnClock()
    {
        ManualMonotonicClock clock(SteadyTime {}); // far from the real clock's time
        const Deadline deadline(clock, 2s);
        clock.advance(500ms);
        const auto before = std::chrono::steady_clock::now();
        const auto expiry = deadline.expiry(std::chrono::seconds(300));
        QVERIFY(expiry >= before + 1500ms);
        QVERIFY(expiry <= std::chrono::steady_clock::now() + 1500ms);
        const auto limited = deadline.expiry(std::chrono::seconds(1));
        QVERIFY(limited <= std::chrono::steady_clock::now() + 1s);
    }

    void withoutATimeoutItNeverPasses()
    {
        ManualMonotonicClock clock;
        const Deadline deadline(clock, std::nullopt);
        clock.advance(24h);
        QVERIFY(!deadline.passed());
        QVERIFY(!deadline.within(24h));
        QCOMPARE(deadline.atMost(1h), SteadyDuration(1h));
    }

    void theAnswerNamesTheTimeoutAndTheRoute()
    {
        ManualMonotonicClock clock;
        const auto error = Deadline(clock, 300ms).timedOut("route search of api.shop");
        QCOMPARE(error.status, 504u);
        QCOMPARE(std::string(error.error), std::string("timeout"));
        QCOMPARE(error.cause,
                 std::string("request timed out after 300ms (route search of api.shop)"));
    }
};

QTEST_GUILESS_MAIN(TestTimeout)
#include "tst_timeout.moc"
