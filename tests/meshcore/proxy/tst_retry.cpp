// Retries on a manual clock: which failures are retried, the limit, the budget, the jittered
// exponential backoff, and the deadline that no backoff outlasts.
#include <QTest>

#include "layer_harness.h"
#include "proxy/retry.h"

using namespace meshcore;
using namespace meshcore::proxy;
using namespace std::chrono_literals;
using meshscope::testing::LayerHarness;

namespace {
control::RetryConfig retryConfig(unsigned limit, control::Millis backoff = 25ms)
{
    control::RetryConfig config;
    config.limit = limit;
    config.on.serverError = true;
    config.on.connectFailure = true;
    config.backoff = backoff;
    return config;
}

control::RequestPolicy retryingPolicy(control::RetryConfig config,
                                      std::optional<control::Millis> timeout = {})
{
    control::RequestPolicy policy;
    policy.retries = config;
    policy.timeout = timeout;
    return policy;
}

ForwardResult status(unsigned code)
{
    return {ForwardResult::Ok, {}, code};
}

// Answers the attempts from `script` in order (the last one from then on), counting them.
struct ScriptedUpstream {
    std::vector<ForwardResult> script;
    int sent = 0;
    int discarded = 0;
    boost::asio::awaitable<ForwardResult> send()
    {
        const auto i = std::min<std::size_t>(static_cast<std::size_t>(sent++), script.size() - 1);
        co_return script[i];
    }
};

policy::SharedRetryBudget generousBudget(const Clock &clock)
{
    return policy::SharedRetryBudget({0.2, 1000, std::chrono::seconds(10)}, clock);
}
} // namespace

class TestRetry : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theConditionsSayWhatIsRetried()
    {
        control::RetryConditions fiveXx;
        fiveXx.serverError = true;
        QVERIFY(retryOn(fiveXx, status(500)));
        QVERIFY(retryOn(fiveXx, status(503)));
        QVERIFY(!retryOn(fiveXx, status(404)));
        QVERIFY(!retryOn(fiveXx, {ForwardResult::ConnectFailed}));
        control::RetryConditions gateway;
        gateway.gatewayError = true;
        QVERIFY(retryOn(gateway, status(502)) && retryOn(gateway, status(504)));
        QVERIFY(!retryOn(gateway, status(500)));
        QVERIFY(retryOn(gateway, {ForwardResult::NoResponse}));
        control::RetryConditions connect;
        connect.connectFailure = true;
        QVERIFY(retryOn(connect, {ForwardResult::ConnectFailed}));
        QVERIFY(retryOn(connect, {ForwardResult::UpstreamLost}));
        QVERIFY(!retryOn(connect, status(503)));
        control::RetryConditions all {true, true, true};
        for (const auto kind : {ForwardResult::TimedOut, ForwardResult::RequestFailed,
                                ForwardResult::RequestMalformed, ForwardResult::NoEndpoint})
            QVERIFY(!retryOn(all, {kind})); // the deadline, the client, no replica: final
    }

    void aFailureIsRetriedAfterABackoffAndTheSuccessCounted()
    {
        LayerHarness h(retryingPolicy(retryConfig(2, 100ms)));
        ManualClock wall;
        auto budget = generousBudget(wall);
        Chance chance(1);
        RetryPolicy retries(h.context.route.policy.retries, true, budget, chance);
        QVERIFY(retries.wanted());
        ScriptedUpstream upstream {{status(503), status(200)}};
        const auto done = h.start(withRetries(
            retries, h.context, [&] { return upstream.send(); }, [&] { ++upstream.discarded; }));
        QCOMPARE(upstream.sent, 1);
        QVERIFY(!done->has_value()); // backing off: 100ms x [0.5, 1.5)
        h.advance(49ms);
        QCOMPARE(upstream.sent, 1);
        h.advance(101ms);
        QCOMPARE(upstream.sent, 2);
        QVERIFY(done->has_value());
        QCOMPARE((*done)->status, 200u);
        QCOMPARE(upstream.discarded, 1);
        QCOMPARE(h.context.retries(), 1u);
        QCOMPARE(h.series.retries().value(), 1u);
        h.context.finish(200, "");
        QCOMPARE(h.series.retrySuccesses().value(), 1u);
    }

    void theLimitStopsRetriesAndIsCounted()
    {
        LayerHarness h(retryingPolicy(retryConfig(2, 1ms)));
        ManualClock wall;
        auto budget = generousBudget(wall);
        Chance chance(1);
        RetryPolicy retries(h.context.route.policy.retries, true, budget, chance);
        ScriptedUpstream upstream {{status(500)}};
        const auto done = h.start(withRetries(
            retries, h.context, [&] { return upstream.send(); }, [&] { ++upstream.discarded; }));
        for (int i = 0; i < 10 && !done->has_value(); ++i)
            h.advance(10ms);
        QVERIFY(done->has_value());
        QCOMPARE(upstream.sent, 3); // the first and two retries
        QCOMPARE((*done)->status, 500u);
        QCOMPARE(h.series.retryLimitExceeded().value(), 1u);
        QCOMPARE(h.series.retries().value(), 2u);
    }

    void theBackoffDoublesWithJitter()
    {
        LayerHarness h(retryingPolicy(retryConfig(10, 100ms)));
        ManualClock wall;
        auto budget = generousBudget(wall);
        Chance chance(3);
        RetryPolicy retries(h.context.route.policy.retries, true, budget, chance);
        for (unsigned attempt = 0; attempt < 4; ++attempt) {
            const auto wait = retries.backoffAfter(attempt, status(503), h.series);
            QVERIFY(wait);
            const auto base = SteadyDuration(100ms) * (1 << attempt);
            QVERIFY(*wait >= base / 2 && *wait < base * 3 / 2);
        }
    }

    void anEmptyBudgetRefusesTheRetryAndCountsTheOverflow()
    {
        LayerHarness h(retryingPolicy(retryConfig(3)));
        ManualClock wall;
        policy::SharedRetryBudget budget({0.0, 0, std::chrono::seconds(10)}, wall);
        Chance chance(1);
        RetryPolicy retries(h.context.route.policy.retries, true, budget, chance);
        QVERIFY(!retries.backoffAfter(0, status(503), h.series));
        QCOMPARE(h.series.retryOverflow().value(), 1u);
    }

    void nonIdempotentRequestsAndStreamedBodiesAreNotRetried()
    {
        LayerHarness h(retryingPolicy(retryConfig(3)));
        ManualClock wall;
        auto budget = generousBudget(wall);
        Chance chance(1);
        RetryPolicy post(h.context.route.policy.retries, false, budget, chance);
        QVERIFY(!post.wanted());
        QVERIFY(!post.backoffAfter(0, status(503), h.series));
        RetryPolicy streamed(h.context.route.policy.retries, true, budget, chance);
        streamed.bodyNotReplayable();
        QVERIFY(!streamed.backoffAfter(0, status(503), h.series));
        auto config = retryConfig(3);
        config.nonIdempotent = true;
        const std::optional<control::RetryConfig> anyMethod = config;
        QVERIFY(RetryPolicy(anyMethod, false, budget, chance).wanted());
    }

    void aBackoffPastTheDeadlineEndsTheRequestAtTheDeadline()
    {
        LayerHarness h(retryingPolicy(retryConfig(3, 400ms), 300ms), "search");
        ManualClock wall;
        auto budget = generousBudget(wall);
        Chance chance(1);
        RetryPolicy retries(h.context.route.policy.retries, true, budget, chance);
        ScriptedUpstream upstream {{status(503)}};
        h.advance(100ms); // the first attempt took 100ms: 200ms left, the backoff is >= 200ms
        const auto done = h.start(withRetries(
            retries, h.context, [&] { return upstream.send(); }, [&] { ++upstream.discarded; }));
        h.advance(199ms);
        QVERIFY(!done->has_value());
        h.advance(1ms);
        QVERIFY(done->has_value());
        QCOMPARE(h.elapsed(), SteadyDuration(300ms));
        QCOMPARE((*done)->kind, ForwardResult::TimedOut);
        QCOMPARE(upstream.sent, 1); // a spent deadline is not retried
        QCOMPARE(upstream.discarded, 1); // the failed response is not relayed
        QCOMPARE(h.context.retries(), 0u); // and no retry is counted
        QCOMPARE(h.series.retries().value(), 0u);
        QCOMPARE(proxyErrorOf(**done, h.context).cause,
                 std::string("request timed out after 300ms (route search of api.shop)"));
    }
};

QTEST_GUILESS_MAIN(TestRetry)
#include "tst_retry.moc"
