// Peak-EWMA with a fake clock: jumps to peaks, decays toward faster observations and, idle,
// toward zero, so a slow replica is tried again later.
#include <QTest>

#include "policy/peak_ewma.h"

using namespace meshcore;
using namespace std::chrono_literals;

class TestPeakEwma : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void startsAtTheDefaultRtt()
    {
        const ManualClock clock;
        const policy::PeakEwma ewma(30ms, 10s, clock.now());
        QCOMPARE(ewma.estimateMs(clock.now()), 30.0);
        QCOMPARE(ewma.cost(clock.now(), 0), 30.0);
        QCOMPARE(ewma.cost(clock.now(), 2), 90.0); // weighted by the requests in flight
    }

    void aSlowerObservationIsTakenAtOnce()
    {
        ManualClock clock;
        policy::PeakEwma ewma(30ms, 10s, clock.now());
        clock.advance(1ms);
        ewma.observe(250ms, clock.now());
        QCOMPARE(ewma.estimateMs(clock.now()), 250.0);
    }

    void fasterObservationsPullItDownOverTheDecay()
    {
        ManualClock clock;
        policy::PeakEwma ewma(100ms, 10s, clock.now());
        clock.advance(10s); // one decay period: the old estimate weighs e^-1
        ewma.observe(10ms, clock.now());
        const double expected = 100 * std::exp(-1.0) + 10 * (1 - std::exp(-1.0));
        QVERIFY(std::abs(ewma.estimateMs(clock.now()) - expected) < 1e-9);
        // Observations close together barely move it.
        clock.advance(1ms);
        const double before = ewma.estimateMs(clock.now());
        ewma.observe(1ms, clock.now());
        QVERIFY(ewma.estimateMs(clock.now()) > before - 0.01);
    }

    void anIdleEstimateDecaysTowardZero()
    {
        ManualClock clock;
        policy::PeakEwma ewma(30ms, 10s, clock.now());
        ewma.observe(50ms, clock.now());
        clock.advance(30s);
        QVERIFY(std::abs(ewma.estimateMs(clock.now()) - 50 * std::exp(-3.0)) < 1e-9);
    }
};

QTEST_GUILESS_MAIN(TestPeakEwma)
#include "tst_peak_ewma.moc"
