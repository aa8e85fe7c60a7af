// Failure accrual with a fake clock: ejection after N consecutive failures, one probe after the
// penalty, doubling penalties up to the maximum, jitter within bounds, restore on success.
#include <QTest>

#include "policy/failure_accrual.h"

using namespace meshcore;
using namespace std::chrono_literals;
using State = policy::FailureAccrual::State;

namespace {
control::FailureAccrualConfig config(unsigned failures = 7, double jitter = 0)
{
    return {failures, 1000ms, 60000ms, jitter};
}

// Fails `n` admitted requests in a row.
void fail(policy::FailureAccrual &breaker, const ManualClock &clock, unsigned n,
          double random = 0.5)
{
    for (unsigned i = 0; i < n; ++i) {
        QVERIFY(breaker.admit(clock.now()));
        breaker.failed(clock.now(), random);
    }
}
} // namespace

class TestFailureAccrual : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void consecutiveFailuresEjectTheReplica()
    {
        ManualClock clock;
        policy::FailureAccrual breaker(config());
        fail(breaker, clock, 6);
        QCOMPARE(breaker.state(), State::Ready);
        fail(breaker, clock, 1);
        QCOMPARE(breaker.state(), State::Ejected);
        QCOMPARE(breaker.ejections(), 1u);
        QVERIFY(!breaker.admit(clock.now()));
    }

    void aSuccessResetsTheCount()
    {
        ManualClock clock;
        policy::FailureAccrual breaker(config());
        fail(breaker, clock, 6);
        QVERIFY(breaker.admit(clock.now()));
        breaker.succeeded();
        fail(breaker, clock, 6);
        QCOMPARE(breaker.state(), State::Ready);
    }

    void afterThePenaltyOneProbeGoesAndASuccessRestores()
    {
        ManualClock clock;
        policy::FailureAccrual breaker(config());
        fail(breaker, clock, 7);
        clock.advance(999ms);
        QVERIFY(!breaker.admissible(clock.now()));
        clock.advance(1ms);
        QVERIFY(breaker.admit(clock.now())); // the probe
        QCOMPARE(breaker.state(), State::Probing);
        QVERIFY(!breaker.admit(clock.now())); // only one at a time
        breaker.succeeded();
        QCOMPARE(breaker.state(), State::Ready);
        QVERIFY(breaker.admit(clock.now()));
    }

    void failedProbesDoubleThePenaltyUpToTheMaximum()
    {
        ManualClock clock;
        policy::FailureAccrual breaker(config());
        fail(breaker, clock, 7);
        const std::chrono::milliseconds expected[]
            = {1000ms, 2000ms, 4000ms, 8000ms, 16000ms, 32000ms, 60000ms, 60000ms};
        for (const auto penalty : expected) {
            QCOMPARE(std::chrono::duration_cast<std::chrono::milliseconds>(breaker.ejectedUntil()
                                                                           - clock.now()),
                     penalty);
            clock.set(breaker.ejectedUntil());
            QVERIFY(breaker.admit(clock.now()));
            breaker.failed(clock.now(), 0.5); // the probe fails: out again, for longer
        }
        // One success and the next ejection starts from the minimum again.
        clock.set(breaker.ejectedUntil());
        QVERIFY(breaker.admit(clock.now()));
        breaker.succeeded();
        fail(breaker, clock, 7);
        QCOMPARE(std::chrono::duration_cast<std::chrono::milliseconds>(breaker.ejectedUntil()
                                                                       - clock.now()),
                 1000ms);
    }

    void jitterSpreadsPenaltiesWithinBounds()
    {
        ManualClock clock;
        policy::FailureAccrual low(config(1, 0.5));
        fail(low, clock, 1, 0.0);
        QCOMPARE(
            std::chrono::duration_cast<std::chrono::milliseconds>(low.ejectedUntil() - clock.now()),
            750ms);
        policy::FailureAccrual high(config(1, 0.5));
        fail(high, clock, 1, 0.999);
        const auto penalty = std::chrono::duration_cast<std::chrono::milliseconds>(
            high.ejectedUntil() - clock.now());
        QVERIFY(penalty > 1240ms && penalty < 1250ms);
    }

    void lateFailuresOfAnEjectedReplicaChangeNothing()
    {
        ManualClock clock;
        policy::FailureAccrual breaker(config());
        fail(breaker, clock, 7);
        const auto until = breaker.ejectedUntil();
        breaker.failed(clock.now(), 0.5); // admitted before the ejection, finishing now
        QCOMPARE(breaker.ejectedUntil(), until);
        QCOMPARE(breaker.ejections(), 1u);
    }
};

QTEST_GUILESS_MAIN(TestFailureAccrual)
#include "tst_failure_accrual.moc"
