// Injected faults on a manual clock: a delay holds the request exactly as long as configured, or
// until the deadline (then 504); an abort answers its status; the shares hold; each is counted.
#include <QTest>

#include "layer_harness.h"
#include "proxy/fault.h"

using namespace meshcore;
using namespace meshcore::proxy;
using namespace std::chrono_literals;
using meshscope::testing::LayerHarness;

namespace {
control::RequestPolicy withFaults(control::FaultConfig faults,
                                  std::optional<control::Millis> timeout = {})
{
    control::RequestPolicy policy;
    policy.faults = faults;
    policy.timeout = timeout;
    return policy;
}

control::FaultConfig delay(double percent, control::Millis duration)
{
    control::FaultConfig faults;
    faults.delayPercent = percent;
    faults.delay = duration;
    return faults;
}

control::FaultConfig abortWith(double percent, unsigned status)
{
    control::FaultConfig faults;
    faults.abortPercent = percent;
    faults.abortStatus = status;
    return faults;
}
} // namespace

class TestFault : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void noFaultsLetTheRequestThrough()
    {
        LayerHarness h;
        Chance chance(1);
        const auto done = h.start(injectFaults(h.context, chance));
        QVERIFY(done->has_value());
        QVERIFY(!done->value());
    }

    void aDelayHoldsTheRequestForExactlyItsDuration()
    {
        LayerHarness h(withFaults(delay(100, 2000ms)));
        Chance chance(1);
        const auto done = h.start(injectFaults(h.context, chance));
        h.advance(1999ms);
        QVERIFY(!done->has_value());
        h.advance(1ms);
        QVERIFY(done->has_value());
        QVERIFY(!done->value()); // delayed, then forwarded
        QCOMPARE(h.series.faultInjected("delay").value(), 1u);
        QCOMPARE(h.series.faultInjected("abort").value(), 0u);
    }

    void aDelayLongerThanTheTimeoutEndsAt504AtTheDeadline()
    {
        LayerHarness h(withFaults(delay(100, 5000ms), 300ms), "search");
        Chance chance(1);
        const auto done = h.start(injectFaults(h.context, chance));
        h.advance(299ms);
        QVERIFY(!done->has_value());
        h.advance(1ms);
        QVERIFY(done->has_value() && done->value());
        QCOMPARE(h.elapsed(), SteadyDuration(300ms));
        QCOMPARE((**done)->status, 504u);
        QCOMPARE(std::string((**done)->error), std::string("timeout"));
        QCOMPARE((**done)->cause,
                 std::string("request timed out after 300ms (route search of api.shop)"));
    }

    void anAbortAnswersItsStatusAndNamesTheRoute()
    {
        LayerHarness h(withFaults(abortWith(100, 418)), "search");
        Chance chance(1);
        const auto done = h.start(injectFaults(h.context, chance));
        QVERIFY(done->has_value() && done->value());
        QCOMPARE((**done)->status, 418u);
        QCOMPARE(std::string((**done)->error), std::string("fault"));
        QCOMPARE((**done)->cause, std::string("fault injected: abort (route search of api.shop)"));
        QCOMPARE(h.series.faultInjected("abort").value(), 1u);
    }

    void theAbortShareHolds()
    {
        LayerHarness h(withFaults(abortWith(20, 503)));
        Chance chance(42);
        int aborted = 0;
        for (int i = 0; i < 10000; ++i) {
            const auto done = h.start(injectFaults(h.context, chance));
            aborted += done->value() ? 1 : 0;
        }
        QVERIFY2(aborted > 1800 && aborted < 2200, qPrintable(QString::number(aborted)));
        QCOMPARE(h.series.faultInjected("abort").value(), std::uint64_t(aborted));
    }

    void zeroPercentNeverFires()
    {
        auto faults = delay(0, 1000ms);
        faults.abortPercent = 0;
        LayerHarness h(withFaults(faults));
        Chance chance(7);
        for (int i = 0; i < 1000; ++i)
            QVERIFY(!h.start(injectFaults(h.context, chance))->value());
        QCOMPARE(h.series.faultInjected("delay").value(), 0u);
    }
};

QTEST_GUILESS_MAIN(TestFault)
#include "tst_fault.moc"
