// The retry budget with a fake clock: a reserve of min_per_second x ttl, plus ratio x requests,
// over a sliding window of ttl seconds.
#include <QTest>

#include "policy/retry_budget.h"

using namespace meshcore;
using namespace std::chrono_literals;

namespace {
unsigned retriesAllowed(policy::RetryBudget &budget, const ManualClock &clock, unsigned tries)
{
    unsigned allowed = 0;
    for (unsigned i = 0; i < tries; ++i)
        allowed += budget.withdraw(clock.now()) ? 1 : 0;
    return allowed;
}
} // namespace

class TestRetryBudget : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theReserveIsMinPerSecondTimesTtl()
    {
        const ManualClock clock;
        policy::RetryBudget budget({0.2, 10, 10s});
        QCOMPARE(retriesAllowed(budget, clock, 500), 100u);
    }

    void requestsEarnTheirRatio()
    {
        const ManualClock clock;
        policy::RetryBudget budget({0.2, 0, 10s});
        for (int i = 0; i < 50; ++i)
            budget.deposit(clock.now());
        QCOMPARE(retriesAllowed(budget, clock, 500), 10u);
    }

    void underATotalOutageRetriesStayWithinTheBudget()
    {
        // 100 requests/s for 60 s, every one failing and asking for a retry: per 10 s window at
        // most 100 (reserve) + 0.2 x 1000 retries go out.
        ManualClock clock(std::chrono::system_clock::time_point(std::chrono::seconds(1'000'000)));
        policy::RetryBudget budget({0.2, 10, 10s});
        std::vector<unsigned> perSecond;
        for (int second = 0; second < 60; ++second) {
            unsigned sent = 0;
            for (int i = 0; i < 100; ++i) {
                clock.advance(10ms);
                budget.deposit(clock.now());
                sent += budget.withdraw(clock.now()) ? 1 : 0;
            }
            perSecond.push_back(sent);
        }
        for (std::size_t start = 0; start + 10 <= perSecond.size(); ++start) {
            unsigned window = 0;
            for (std::size_t s = start; s < start + 10; ++s)
                window += perSecond[s];
            QVERIFY2(window <= 300, qPrintable(QString::number(window)));
        }
        // In the steady state the rate is the ratio plus the reserve: 20 + 10 per second.
        unsigned last = 0;
        for (std::size_t s = 50; s < 60; ++s)
            last += perSecond[s];
        QVERIFY2(last >= 250 && last <= 300, qPrintable(QString::number(last)));
    }

    void oldSecondsLeaveTheWindow()
    {
        ManualClock clock(std::chrono::system_clock::time_point(std::chrono::seconds(1'000'000)));
        policy::RetryBudget budget({0.2, 1, 10s});
        QCOMPARE(retriesAllowed(budget, clock, 50), 10u);
        clock.advance(5s);
        QCOMPARE(retriesAllowed(budget, clock, 50), 0u); // the first ten still count
        clock.advance(5s);
        QCOMPARE(retriesAllowed(budget, clock, 50), 10u); // they have left the window
    }

    // (Moved from tst_destination_policy: the budget is no longer the balancer's.)
    void theRetryBudgetIsShared()
    {
        ManualClock clock;
        policy::SharedRetryBudget budget({0.5, 0, 10s}, clock);
        for (int i = 0; i < 10; ++i)
            budget.countRequest();
        int allowed = 0;
        for (int i = 0; i < 20; ++i)
            allowed += budget.allowRetry() ? 1 : 0;
        QCOMPARE(allowed, 5);
    }
};

QTEST_GUILESS_MAIN(TestRetryBudget)
#include "tst_retry_budget.moc"
