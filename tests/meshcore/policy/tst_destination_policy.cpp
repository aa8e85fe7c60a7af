// A destination's policy with a fake clock: the split picks versions, P2C over peak-EWMA avoids
// the slow replica, breakers take failing replicas out (all out: nothing to pick), and a split
// change is validated before it applies.
#include <QTest>

#include "policy/destination_policy.h"

using namespace meshcore;
using namespace std::chrono_literals;

namespace {

// api: v1 with replicas api-v1-0 and api-v1-1, v2 with api-v2-0; split 90/10.
control::ServiceConfig apiService()
{
    control::ServiceConfig service;
    service.name = "api";
    service.ns = "shop";
    service.versions = {{"v1", std::vector<control::ReplicaConfig>(2)},
                        {"v2", std::vector<control::ReplicaConfig>(1)}};
    service.split = {{"v1", 90}, {"v2", 10}};
    return service;
}

std::vector<policy::ReplicaRef> apiReplicas()
{
    return {{"api-v1-0", "v1"}, {"api-v1-1", "v1"}, {"api-v2-0", "v2"}};
}

} // namespace

class TestDestinationPolicy : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theSplitPicksVersionsByWeight()
    {
        ManualClock clock;
        policy::DestinationPolicy destination(apiService(), apiReplicas(), clock);
        int v2 = 0;
        for (int i = 0; i < 1000; ++i) {
            const auto chosen = destination.pick();
            QVERIFY(chosen);
            v2 += *chosen == 2 ? 1 : 0;
            destination.finished(*chosen, true, 1ms);
        }
        QCOMPARE(v2, 100);
    }

    void aSlowReplicaGetsLessTraffic()
    {
        ManualClock clock;
        auto service = apiService();
        service.split = {{"v1", 1}};
        policy::DestinationPolicy destination(service, apiReplicas(), clock);
        std::vector<int> picks(3, 0);
        for (int i = 0; i < 1000; ++i) {
            clock.advance(5ms);
            const auto chosen = *destination.pick();
            ++picks[chosen];
            destination.finished(chosen, true, chosen == 1 ? 60ms : 2ms);
        }
        QVERIFY2(picks[1] < 100, qPrintable(QString::number(picks[1])));
        QCOMPARE(picks[2], 0); // v2 has weight 0
    }

    void failingReplicasAreEjectedAndAllOutMeansNone()
    {
        ManualClock clock;
        auto service = apiService();
        service.split = {{"v2", 1}};
        policy::DestinationPolicy destination(service, apiReplicas(), clock);
        for (int i = 0; i < 7; ++i) {
            const auto chosen = destination.pick();
            QCOMPARE(*chosen, std::size_t(2));
            destination.finished(*chosen, false, 1ms);
        }
        QVERIFY(!destination.pick()); // v2's only replica is out; v1 has no weight
        QCOMPARE(destination.replicas()[2].state, policy::FailureAccrual::State::Ejected);
        QCOMPARE(destination.replicas()[2].ejections, 1u);
        clock.advance(2s);
        QCOMPARE(destination.replicas()[2].state, policy::FailureAccrual::State::Probing);
        const auto probe = destination.pick();
        QCOMPARE(*probe, std::size_t(2));
        destination.finished(*probe, true, 1ms);
        QCOMPARE(destination.replicas()[2].state, policy::FailureAccrual::State::Ready);
    }

    // A retry (opaque TCP after a connect failure) goes to a replica not tried yet while the
    // version has one; with every one tried, any admissible one.
    void aPickAvoidsTheReplicasAlreadyTried()
    {
        ManualClock clock;
        auto service = apiService();
        service.split = {{"v1", 1}};
        policy::DestinationPolicy destination(service, apiReplicas(), clock);
        for (int i = 0; i < 100; ++i) {
            const auto first = *destination.pick();
            destination.finished(first, true, 1ms);
            const auto second = *destination.pick({}, {first});
            QVERIFY(second != first);
            QVERIFY(second < 2); // still v1's
            destination.finished(second, true, 1ms);
            const auto third = destination.pick({}, {0, 1, 2});
            QVERIFY(third && *third < 2); // every one tried: the version's, as usual
            destination.finished(*third, true, 1ms);
        }
    }

    // With every replica of the version the split chose already tried, a retry goes to another
    // version (v2 has 10 % of the split), not back to one that failed.
    void aRetryCrossesToAnotherVersionBeforeReturning()
    {
        ManualClock clock;
        policy::DestinationPolicy destination(apiService(), apiReplicas(), clock);
        for (int i = 0; i < 100; ++i) {
            const auto retry = destination.pick({}, {0, 1});
            QCOMPARE(retry, std::optional<std::size_t>(2));
            destination.finished(*retry, true, 1ms);
        }
    }

    void aVersionWithEveryReplicaOutYieldsToTheOthers()
    {
        ManualClock clock;
        policy::DestinationPolicy destination(apiService(), apiReplicas(), clock);
        // v2 fails every request; once it is out, v1 takes all the traffic.
        int failures = 0;
        for (int i = 0; i < 200; ++i) {
            const auto chosen = *destination.pick();
            const bool ok = chosen != 2;
            failures += ok ? 0 : 1;
            destination.finished(chosen, ok, 1ms);
        }
        QCOMPARE(failures, 7);
    }

    void aPinnedRequestGoesToItsVersionWhateverTheSplit()
    {
        ManualClock clock;
        policy::DestinationPolicy destination(apiService(), apiReplicas(), clock);
        QVERIFY(destination.setSplit({{"v1", 100}, {"v2", 0}}));
        QVERIFY(!destination.pins());
        destination.setPins({{{control::RequestMatch::Kind::Header, "x-beta", "yes"}, "v2"}});
        QCOMPARE(destination.pins()->size(), std::size_t(1));
        for (int i = 0; i < 20; ++i) {
            const auto pinned = destination.pick("v2");
            QCOMPARE(*pinned, std::size_t(2)); // api-v2-0, though v2 has weight 0
            destination.finished(*pinned, true, 1ms);
            const auto unpinned = destination.pick();
            QVERIFY(*unpinned < 2); // the split: all v1
            destination.finished(*unpinned, true, 1ms);
        }
        // A pin to a version that is gone is ignored; a pinned version that is all out is none.
        const auto gone = destination.pick("v7");
        QVERIFY(gone && *gone < 2);
        destination.finished(*gone, true, 1ms);
        for (int i = 0; i < 7; ++i) {
            const auto pick = destination.pick("v2");
            destination.finished(*pick, false, 1ms);
        }
        QVERIFY(!destination.pick("v2"));
        destination.setPins({});
        QVERIFY(!destination.pins());
    }

    void splitChangesAreValidatedAndApplyAtOnce()
    {
        ManualClock clock;
        policy::DestinationPolicy destination(apiService(), apiReplicas(), clock);
        QVERIFY(!destination.setSplit({{"v3", 10}}));
        QVERIFY(!destination.setSplit({{"v1", 0}, {"v2", 0}}));
        QVERIFY(!destination.setSplit({{"v1", 5}, {"v1", 5}}));
        QCOMPARE(destination.split()[0].weight, 90u); // the refused changes left it alone
        QVERIFY(destination.setSplit({{"v2", 1}}));
        QCOMPARE(destination.split()[0].weight, 0u); // not named: 0
        for (int i = 0; i < 10; ++i) {
            const auto chosen = destination.pick();
            QCOMPARE(*chosen, std::size_t(2));
            destination.finished(*chosen, true, 1ms);
        }
    }
};

QTEST_GUILESS_MAIN(TestDestinationPolicy)
#include "tst_destination_policy.moc"
