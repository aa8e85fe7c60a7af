// The request context's one exit: a request is recorded once (route status with its error, the
// tap, retry success, the last attempt's status), and each failure maps to the answer it gets.
#include <QTest>

#include "layer_harness.h"

using namespace meshcore;
using namespace meshcore::proxy;
using namespace std::chrono_literals;
using meshscope::testing::LayerHarness;

class TestRequestContext : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aRequestIsRecordedOnceWithItsAttempt()
    {
        LayerHarness h;
        h.context.startAttempt(h.endpointSeries);
        h.context.responseHeaderArrived();
        h.context.finish(200, "");
        QVERIFY(h.context.finished());
        QCOMPARE(h.series.status(200, "").value(), 1u);
        QCOMPARE(h.endpointSeries.requests().value(), 1u);
        QCOMPARE(h.endpointSeries.responses(200).value(), 1u);
        QCOMPARE(h.series.retrySuccesses().value(), 0u);
    }

    void aRetriedAttemptKeepsItsOwnStatusAndTheSuccessIsCounted()
    {
        LayerHarness h;
        h.context.startAttempt(h.endpointSeries);
        h.context.endAttempt(503);
        h.context.retrying();
        h.context.startAttempt(h.endpointSeries);
        h.context.finish(200, "");
        QCOMPARE(h.endpointSeries.requests().value(), 2u);
        QCOMPARE(h.endpointSeries.responses(503).value(), 1u);
        QCOMPARE(h.endpointSeries.responses(200).value(), 1u);
        QCOMPARE(h.series.retries().value(), 1u);
        QCOMPARE(h.series.retrySuccesses().value(), 1u);
        QCOMPARE(h.series.status(200, "").value(), 1u);
    }

    void theTapSeesHowItEnded()
    {
        LayerHarness h;
        {
            TapRecord tap(h.metrics.tap, LayerHarness::caller(), "api", "shop", "GET", "api.shop",
                          "/search");
            RequestContext context(h.clock, LayerHarness::route({}, "search"), h.series, tap);
            context.retrying();
            context.finish(504, "timeout");
        } // the request's end publishes its record
        QCOMPARE(h.series.status(504, "timeout").value(), 1u);
        QCOMPARE(h.series.retrySuccesses().value(), 0u);
        std::vector<telemetry::TapHub::Event> events;
        h.tapSubscription->take(events);
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0]->status, 504u);
        QCOMPARE(events[0]->error, std::string("timeout"));
        QCOMPARE(events[0]->route, std::string("search"));
        QCOMPARE(events[0]->retries, 1u);
        QCOMPARE(events[0]->sourcePod, std::string("web-v1-0"));
    }

    void failuresMapToTheirAnswers()
    {
        LayerHarness h(control::RequestPolicy {std::optional<control::Millis>(300ms), {}, {}},
                       "search");
        const auto unavailable = proxyErrorOf({ForwardResult::NoEndpoint}, h.context);
        QCOMPARE(unavailable.status, 503u);
        QCOMPARE(std::string(unavailable.error), std::string("unavailable"));
        QCOMPARE(
            unavailable.cause,
            std::string("no replica of api.shop is available: all are failing (circuit open)"));
        const auto malformed
            = proxyErrorOf({ForwardResult::RequestMalformed, "bad chunk size"}, h.context);
        QCOMPARE(malformed.status, 400u);
        QCOMPARE(malformed.cause, std::string("malformed request body: bad chunk size"));
        const auto timedOut = proxyErrorOf({ForwardResult::TimedOut}, h.context);
        QCOMPARE(timedOut.status, 504u);
        QCOMPARE(timedOut.cause,
                 std::string("request timed out after 300ms (route search of api.shop)"));
        const auto refused = proxyErrorOf(
            {ForwardResult::ConnectFailed, "connection to api-v1-0 failed"}, h.context);
        QCOMPARE(refused.status, 502u);
        QCOMPARE(std::string(refused.error), std::string("unreachable"));
        QCOMPARE(refused.cause, std::string("connection to api-v1-0 failed"));
    }
};

QTEST_GUILESS_MAIN(TestRequestContext)
#include "tst_request_context.moc"
