// The balance layer with a real DestinationPolicy on manual clocks: each attempt's outcome reaches
// the balancer (so its breakers eject a failing replica and the next pick avoids it), the time to
// the response header is what the latency EWMA learns, and an attempt that says nothing about the
// replica gives its pick back.
#include <QTest>

#include "layer_harness.h"
#include "proxy/balance.h"

using namespace meshcore;
using namespace meshcore::proxy;
using namespace std::chrono_literals;
using meshscope::testing::LayerHarness;

namespace {
control::ServiceConfig twoReplicas(unsigned consecutiveFailures)
{
    control::ServiceConfig service;
    service.name = "api";
    service.ns = "shop";
    service.versions = {{"v1", std::vector<control::ReplicaConfig>(2)}};
    service.failureAccrual.consecutiveFailures = consecutiveFailures;
    return service;
}

std::vector<policy::ReplicaRef> replicaRefs()
{
    return {{"api-v1-0", "v1"}, {"api-v1-1", "v1"}};
}

// Replica 0 fails with `failure`; replica 1 answers 200 after `latency` of the manual clock.
struct TwoUpstreams {
    TwoUpstreams(const MonotonicClock &c, ForwardResult f, SteadyDuration l = {})
        : clock(c)
        , failure(std::move(f))
        , latency(l)
    {
    }
    const MonotonicClock &clock;
    ForwardResult failure;
    SteadyDuration latency;
    std::vector<std::size_t> sentTo;
    boost::asio::awaitable<ForwardResult> send(std::size_t replica)
    {
        sentTo.push_back(replica);
        if (replica == 0)
            co_return failure;
        co_await clock.sleepFor(latency);
        co_return ForwardResult {ForwardResult::Ok, {}, 200};
    }
};
} // namespace

class TestBalance : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void failuresReachTheBreakerAndTheFailingReplicaIsEjected()
    {
        ManualClock wall;
        policy::DestinationPolicy balancer(twoReplicas(3), replicaRefs(), wall);
        LayerHarness h;
        TwoUpstreams upstreams {h.clock, {ForwardResult::ConnectFailed, "refused"}};
        int failures = 0;
        for (int i = 0; i < 40; ++i) {
            const auto done = h.start(throughBalancer(
                balancer, h.clock, [&](std::size_t r) { return upstreams.send(r); }));
            QVERIFY(done->has_value());
            failures += (*done)->failed() ? 1 : 0;
        }
        QCOMPARE(failures, 3); // three in a row eject replica 0: the rest go to replica 1
        QVERIFY(balancer.replicas()[0].ejections >= 1);
        QCOMPARE(std::count(upstreams.sentTo.begin(), upstreams.sentTo.end(), 0u), 3); // none after
    }

    void fiveHundredsCountAsFailuresToo()
    {
        ManualClock wall;
        policy::DestinationPolicy balancer(twoReplicas(2), replicaRefs(), wall);
        LayerHarness h;
        TwoUpstreams upstreams {h.clock, {ForwardResult::Ok, {}, 503}};
        for (int i = 0; i < 20; ++i)
            h.start(throughBalancer(balancer, h.clock,
                                    [&](std::size_t r) { return upstreams.send(r); }));
        QCOMPARE(balancer.replicas()[0].state, policy::FailureAccrual::State::Ejected);
    }

    void whenEveryReplicaIsOutNothingIsSent()
    {
        ManualClock wall;
        policy::DestinationPolicy balancer(twoReplicas(1), replicaRefs(), wall);
        LayerHarness h;
        TwoUpstreams upstreams {h.clock, {ForwardResult::NoResponse, "closed"}};
        for (int i = 0; i < 2; ++i) // both fail once: each ejected
            h.start(
                throughBalancer(balancer, h.clock, [&](std::size_t) { return upstreams.send(0); }));
        const auto sent = upstreams.sentTo.size();
        const auto done = h.start(
            throughBalancer(balancer, h.clock, [&](std::size_t r) { return upstreams.send(r); }));
        QCOMPARE((*done)->kind, ForwardResult::NoEndpoint);
        QCOMPARE(upstreams.sentTo.size(), sent);
    }

    void theLatencyLearntIsTheTimeToTheResponseHeader()
    {
        ManualClock wall;
        auto service = twoReplicas(7);
        policy::DestinationPolicy balancer(service, {{"api-v1-1", "v1"}}, wall);
        LayerHarness h;
        TwoUpstreams upstreams {h.clock, ForwardResult {}, 200ms};
        const auto done = h.start(
            throughBalancer(balancer, h.clock, [&](std::size_t) { return upstreams.send(1); }));
        QVERIFY(!done->has_value());
        QCOMPARE(balancer.replicas()[0].pending, 1u);
        h.advance(200ms);
        QVERIFY(done->has_value());
        QCOMPARE(balancer.replicas()[0].pending, 0u);
        QVERIFY2(balancer.replicas()[0].latencyEwmaMs > 100,
                 qPrintable(QString::number(balancer.replicas()[0].latencyEwmaMs)));
    }

    void aClientThatLeftGivesThePickBack()
    {
        ManualClock wall;
        policy::DestinationPolicy balancer(twoReplicas(1), replicaRefs(), wall);
        LayerHarness h;
        TwoUpstreams upstreams {h.clock, {ForwardResult::RequestFailed, "client left"}};
        for (int i = 0; i < 5; ++i)
            h.start(
                throughBalancer(balancer, h.clock, [&](std::size_t) { return upstreams.send(0); }));
        const auto replica = balancer.replicas()[0];
        QCOMPARE(replica.state, policy::FailureAccrual::State::Ready); // never the replica's fault
        QCOMPARE(replica.pending, 0u);
        QCOMPARE(replica.ejections, 0u);
    }
};

QTEST_GUILESS_MAIN(TestBalance)
#include "tst_balance.moc"
