// One rollout's state machine on a manual clock: canary steps and promotion, rollback on failed
// intervals, holding on too few requests, relative checks, blue/green and A/B pins, a split
// changed by hand, every manual action (and the ones that do not apply), and recovery after a
// restart.
#include <QTest>

#include "rollout/rollout.h"
#include "traffic_double.h"

using namespace meshcore;
using namespace meshcore::rollout;
using rollout_test::canarySpec;
using rollout_test::TrafficDouble;

namespace {

struct Harness {
    ManualClock clock {TimePoint(std::chrono::seconds(1'800'000'000))};
    TrafficDouble traffic;
    std::unique_ptr<Rollout> rollout;

    explicit Harness(const control::RolloutSpec &spec = canarySpec())
    {
        rollout = std::make_unique<Rollout>(Rollout::fresh(spec, clock.now(), "api"));
        rollout->begin(traffic, clock.now());
    }
    const RolloutStatus &status() const { return rollout->status(); }
    // One interval of traffic: the candidate gets `candidate` requests (`failed` of them fail),
    // stable ten times as many, all fine; then the clock passes the interval and a tick runs.
    void interval(unsigned candidate, unsigned failed = 0, double candidateMs = 5,
                  double stableMs = 5)
    {
        traffic.serve("v2", candidate, failed, candidateMs);
        traffic.serve("v1", candidate * 10, 0, stableMs);
        clock.advance(status().spec.interval);
        rollout->tick(traffic, clock.now());
    }
};

} // namespace

class TestRollout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aCanaryStepsUpAndPromotes()
    {
        Harness h;
        QCOMPARE(h.status().phase, Phase::Progressing);
        QCOMPARE(h.traffic.weightOf("v2"), 10u);
        QCOMPARE(h.traffic.weightOf("v1"), 90u);
        h.interval(50);
        QCOMPARE(h.status().weight, 20u);
        QCOMPARE(h.traffic.weightOf("v2"), 20u);
        h.interval(50);
        QCOMPARE(h.status().weight, 30u);
        h.interval(50); // a pass at the maximum weight promotes
        QCOMPARE(h.status().phase, Phase::Promoting);
        QCOMPARE(h.traffic.weightOf("v2"), 100u);
        QCOMPARE(h.traffic.weightOf("v1"), 0u);
        h.clock.advance(std::chrono::seconds(1));
        h.rollout->tick(h.traffic, h.clock.now());
        QCOMPARE(h.status().phase, Phase::Succeeded);
        QVERIFY(h.status().finishedUnix > 0);
        QCOMPARE(h.status().intervals.size(), std::size_t(3));
        QCOMPARE(h.status().intervals[0].verdict, Verdict::Pass);
        QCOMPARE(h.status().intervals[0].candidate.requests, 50u);
        QCOMPARE(h.status().intervals[0].stable.requests, 500u);
        QVERIFY(h.traffic.pins.empty());
        // Every change of weight or phase is a transition, with the weight after it.
        std::vector<unsigned> weights;
        for (const auto &t : h.rollout->takeNewTransitions())
            weights.push_back(t.weight);
        QCOMPARE(weights, (std::vector<unsigned> {10, 20, 30, 100, 100}));
    }

    void anIntervalIsOnlyItsOwnRequests()
    {
        Harness h;
        h.traffic.serve("v2", 1000, 1000); // failures before this rollout began
        h.rollout = std::make_unique<Rollout>(Rollout::fresh(canarySpec(), h.clock.now(), "api"));
        h.rollout->begin(h.traffic, h.clock.now());
        h.interval(20);
        QCOMPARE(h.status().intervals.back().candidate.requests, 20u);
        QCOMPARE(h.status().intervals.back().verdict, Verdict::Pass);
    }

    void failedIntervalsRollBackAtTheThreshold()
    {
        Harness h;
        h.interval(100, 10); // 90 % < 99 %
        QCOMPARE(h.status().phase, Phase::Progressing);
        QCOMPARE(h.status().failedIntervals, 1u);
        QCOMPARE(h.status().weight, 10u); // a failure does not advance
        h.interval(100, 10);
        QCOMPARE(h.status().phase, Phase::RolledBack);
        QCOMPARE(h.traffic.weightOf("v2"), 0u);
        QCOMPARE(h.traffic.weightOf("v1"), 100u);
        QVERIFY2(h.status().reason.find("success rate 90 % is below the minimum 99 %")
                     != std::string::npos,
                 h.status().reason.c_str());
        const auto &failed = h.status().intervals.back().checks;
        const auto sr = std::find_if(failed.begin(), failed.end(),
                                     [](const auto &c) { return c.name == "success-rate"; });
        QVERIFY(sr != failed.end());
        QCOMPARE(sr->value, 90.0);
        QCOMPARE(sr->threshold, 99.0);
        QVERIFY(!sr->passed);
    }

    void slowCandidateFailsTheLatencyCheck()
    {
        Harness h;
        h.interval(100, 0, 400);
        QCOMPARE(h.status().intervals.back().verdict, Verdict::Fail);
        QVERIFY(h.status().intervals.back().summary.find("p99 latency") != std::string::npos);
    }

    void tooFewRequestsHoldThenFail()
    {
        Harness h;
        h.interval(3); // 3 < 10: neither pass nor fail
        QCOMPARE(h.status().intervals.back().verdict, Verdict::Hold);
        QCOMPARE(h.status().weight, 10u);
        QCOMPARE(h.status().failedIntervals, 0u);
        QVERIFY(h.status().holdingSinceUnix > 0);
        for (int i = 0; i < 4; ++i)
            h.interval(0);
        QCOMPARE(h.status().phase, Phase::Progressing); // held 50 s of 60
        h.interval(0);
        QCOMPARE(h.status().phase, Phase::RolledBack);
        QVERIFY2(h.status().reason.find("held for 60 s") != std::string::npos,
                 h.status().reason.c_str());
        QCOMPARE(h.traffic.weightOf("v2"), 0u);
    }

    void timeAwayIsNotHolding()
    {
        Harness h;
        h.interval(0); // holding since the start
        QVERIFY(h.rollout->act(Action::Pause, h.traffic, h.clock.now()));
        h.clock.advance(std::chrono::minutes(20));
        QVERIFY(h.rollout->act(Action::Resume, h.traffic, h.clock.now()));
        QCOMPARE(h.status().holdingSinceUnix, std::int64_t(0));
        h.interval(0); // one hold of 10 s, not 20 min
        QCOMPARE(h.status().phase, Phase::Progressing);
    }

    void failuresThatRuleOutAPassFailBeforeEnoughRequests()
    {
        Harness h;
        h.interval(7, 7); // 7 of the 10 needed, all failed: at most 30 % could succeed
        QCOMPARE(h.status().intervals.back().verdict, Verdict::Fail);
        QVERIFY2(h.status().intervals.back().summary.find("7 failures already")
                     != std::string::npos,
                 h.status().intervals.back().summary.c_str());
        h.interval(5, 0); // too few, none failed: a hold
        QCOMPARE(h.status().intervals.back().verdict, Verdict::Hold);
    }

    void anEjectedCandidateFails()
    {
        Harness h;
        h.traffic.ejectedVersion = "v2"; // its requests go elsewhere: it would only ever hold
        h.interval(0);
        QCOMPARE(h.status().intervals.back().verdict, Verdict::Fail);
        QVERIFY(h.status().intervals.back().summary.find("ejected") != std::string::npos);
        h.interval(0);
        QCOMPARE(h.status().phase, Phase::RolledBack);
    }

    void skipWhilePausedStaysPaused()
    {
        Harness h;
        QVERIFY(h.rollout->act(Action::Pause, h.traffic, h.clock.now()));
        QVERIFY(h.rollout->act(Action::Skip, h.traffic, h.clock.now()));
        QCOMPARE(h.status().phase, Phase::Paused);
        QCOMPARE(h.traffic.weightOf("v2"), 20u);
    }

    void theTransitionHistoryIsBoundedAndNewOnesStillReported()
    {
        Harness h;
        (void)h.rollout->takeNewTransitions();
        for (std::size_t i = 0; i < RolloutStatus::MaxTransitions + 10; ++i) {
            QVERIFY(h.rollout->act(Action::Pause, h.traffic, h.clock.now()));
            QVERIFY(h.rollout->act(Action::Resume, h.traffic, h.clock.now()));
        }
        QCOMPARE(h.status().transitions.size(), RolloutStatus::MaxTransitions);
        QCOMPARE(h.rollout->takeNewTransitions().size(), RolloutStatus::MaxTransitions);
        QVERIFY(h.rollout->act(Action::Pause, h.traffic, h.clock.now()));
        QCOMPARE(h.rollout->takeNewTransitions().size(), std::size_t(1));
    }

    void aPassEndsTheHold()
    {
        Harness h;
        h.interval(0);
        QVERIFY(h.status().holdingSinceUnix > 0);
        h.interval(50);
        QCOMPARE(h.status().holdingSinceUnix, std::int64_t(0));
        QCOMPARE(h.status().weight, 20u);
    }

    void relativeChecksCompareWithStable()
    {
        auto spec = canarySpec();
        spec.analysis.minSuccessRate = 90;
        spec.analysis.maxP99Ms.reset();
        spec.analysis.maxSuccessRateDrop = 1;
        spec.analysis.maxP99Ratio = 2;
        Harness h(spec);
        h.interval(100, 3); // 97 % against stable's 100 %: 3 points below
        QCOMPARE(h.status().intervals.back().verdict, Verdict::Fail);
        QVERIFY(h.status().intervals.back().summary.find("3 points below") != std::string::npos);
        h.interval(100, 0, 50, 5); // p99 ten times stable's
        QCOMPARE(h.status().phase, Phase::RolledBack);
        QVERIFY2(h.status().reason.find("times") != std::string::npos, h.status().reason.c_str());
    }

    void relativeChecksWaitForStableRequests()
    {
        auto spec = canarySpec();
        spec.analysis.maxSuccessRateDrop = 0;
        Harness h(spec);
        h.traffic.serve("v2", 20);
        h.traffic.serve("v1", 2, 2); // stable has too few requests to compare with
        h.clock.advance(spec.interval);
        h.rollout->tick(h.traffic, h.clock.now());
        QCOMPARE(h.status().intervals.back().verdict, Verdict::Pass);
        for (const auto &check : h.status().intervals.back().checks)
            QVERIFY(check.name != "success-rate-vs-stable");
    }

    void blueGreenGetsOnlyPinnedTrafficThenAll()
    {
        auto spec = canarySpec();
        spec.strategy = control::RolloutStrategy::BlueGreen;
        spec.iterations = 2;
        spec.traffic.enabled = true;
        Harness h(spec);
        QCOMPARE(h.traffic.weightOf("v2"), 0u);
        QCOMPARE(h.traffic.weightOf("v1"), 100u);
        QVERIFY(h.traffic.analysisTraffic.has_value());
        QCOMPARE(h.traffic.pins.size(), std::size_t(1));
        QCOMPARE(h.traffic.pins[0].match.name, std::string(control::AnalysisHeader));
        QCOMPARE(h.traffic.pins[0].version, std::string("v2"));
        h.interval(50);
        QCOMPARE(h.status().passedIntervals, 1u);
        QCOMPARE(h.traffic.weightOf("v2"), 0u);
        h.interval(50);
        QCOMPARE(h.status().phase, Phase::Promoting);
        QCOMPARE(h.traffic.weightOf("v2"), 100u); // all at once
        QVERIFY(!h.traffic.analysisTraffic.has_value());
    }

    void abPinsMatchingRequests()
    {
        auto spec = canarySpec();
        spec.strategy = control::RolloutStrategy::AB;
        spec.iterations = 1;
        spec.match = control::RequestMatch {control::RequestMatch::Kind::Cookie, "beta", "yes"};
        Harness h(spec);
        QCOMPARE(h.traffic.weightOf("v2"), 0u);
        QCOMPARE(h.traffic.pins.size(), std::size_t(2));
        QCOMPARE(h.traffic.pins[1].match, *spec.match);
        QVERIFY(!h.traffic.analysisTraffic.has_value()); // not asked for
        h.interval(50);
        QCOMPARE(h.status().phase, Phase::Promoting);
        QVERIFY(h.traffic.pins.empty());
    }

    void idleMeshStartsAnalysisTraffic()
    {
        auto spec = canarySpec();
        spec.traffic.enabled = true;
        spec.traffic.whenIdle = true;
        Harness h(spec);
        QVERIFY(!h.traffic.analysisTraffic.has_value());
        h.interval(0);
        QVERIFY(h.traffic.analysisTraffic.has_value());
        QCOMPARE(h.traffic.analysisTraffic->rps, 10.0);
    }

    void aSplitChangedByHandPauses()
    {
        Harness h;
        h.traffic.splitNow = {{"v1", 50}, {"v2", 50}};
        h.clock.advance(std::chrono::seconds(1));
        h.rollout->tick(h.traffic, h.clock.now());
        QCOMPARE(h.status().phase, Phase::Paused);
        QVERIFY2(h.status().reason.find("changed to v1=50 v2=50") != std::string::npos,
                 h.status().reason.c_str());
        h.interval(100, 100); // no analysis while paused
        QCOMPARE(h.status().phase, Phase::Paused);
        QVERIFY(h.status().intervals.empty());
        QVERIFY(h.rollout->act(Action::Resume, h.traffic, h.clock.now()));
        QCOMPARE(h.traffic.weightOf("v2"), 10u); // handed back
        QCOMPARE(h.status().phase, Phase::Progressing);
    }

    void aVanishedVersionPauses()
    {
        Harness h;
        h.traffic.serviceGone = true;
        h.rollout->tick(h.traffic, h.clock.now());
        QCOMPARE(h.status().phase, Phase::Paused);
        QVERIFY(h.status().reason.find("no service") != std::string::npos);
        // Resuming while it is still gone says why and stays paused.
        const auto resumed = h.rollout->act(Action::Resume, h.traffic, h.clock.now());
        QVERIFY(!resumed);
        QCOMPARE(h.status().phase, Phase::Paused);
    }

    void pauseAndResume()
    {
        Harness h;
        QVERIFY(h.rollout->act(Action::Pause, h.traffic, h.clock.now()));
        QCOMPARE(h.status().phase, Phase::Paused);
        QCOMPARE(h.status().reason, std::string("paused by the user"));
        const auto again = h.rollout->act(Action::Pause, h.traffic, h.clock.now());
        QVERIFY(!again);
        QCOMPARE(again.error().code, ErrorCode::Busy);
        QVERIFY2(again.error().message.find("is paused") != std::string::npos,
                 again.error().message.c_str());
        QVERIFY(h.rollout->act(Action::Resume, h.traffic, h.clock.now()));
        QVERIFY(h.status().reason.empty());
        h.interval(50);
        QCOMPARE(h.status().weight, 20u);
    }

    void promoteNow()
    {
        Harness h;
        QVERIFY(h.rollout->act(Action::Promote, h.traffic, h.clock.now()));
        QCOMPARE(h.status().phase, Phase::Promoting);
        QCOMPARE(h.traffic.weightOf("v2"), 100u);
        QVERIFY(!h.rollout->act(Action::Promote, h.traffic, h.clock.now()));
    }

    void skipMovesOneStepWithoutAnalysis()
    {
        Harness h;
        QVERIFY(h.rollout->act(Action::Skip, h.traffic, h.clock.now()));
        QCOMPARE(h.status().weight, 20u);
        QCOMPARE(h.status().intervals.back().verdict, Verdict::Skipped);
        QVERIFY(h.rollout->act(Action::Skip, h.traffic, h.clock.now()));
        QVERIFY(h.rollout->act(Action::Skip, h.traffic, h.clock.now()));
        QCOMPARE(h.status().phase, Phase::Promoting);
    }

    void setWeight()
    {
        Harness h;
        QVERIFY(h.rollout->act(Action::SetWeight, h.traffic, h.clock.now(), 25u));
        QCOMPARE(h.traffic.weightOf("v2"), 25u);
        QCOMPARE(h.traffic.weightOf("v1"), 75u);
        h.interval(50);
        QCOMPARE(h.status().weight, 30u); // capped at the maximum
        const auto tooMuch = h.rollout->act(Action::SetWeight, h.traffic, h.clock.now(), 100u);
        QVERIFY(!tooMuch);
        QCOMPARE(tooMuch.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(h.status().weight, 30u); // nothing changed
        auto spec = canarySpec();
        spec.strategy = control::RolloutStrategy::BlueGreen;
        spec.traffic.enabled = true;
        Harness blueGreen(spec);
        QVERIFY(!blueGreen.rollout->act(Action::SetWeight, blueGreen.traffic, blueGreen.clock.now(),
                                        10u));
        QCOMPARE(blueGreen.traffic.weightOf("v2"), 0u);
    }

    void abortAndRetry()
    {
        Harness h;
        h.interval(50);
        QVERIFY(!h.rollout->act(Action::Retry, h.traffic, h.clock.now())); // still running
        QVERIFY(h.rollout->act(Action::Abort, h.traffic, h.clock.now()));
        QCOMPARE(h.status().phase, Phase::Aborted);
        QCOMPARE(h.traffic.weightOf("v2"), 0u);
        QVERIFY(!h.rollout->act(Action::Abort, h.traffic, h.clock.now()));
        QVERIFY(h.rollout->act(Action::Retry, h.traffic, h.clock.now()));
        QCOMPARE(h.status().phase, Phase::Progressing);
        QCOMPARE(h.status().attempt, 2u);
        QCOMPARE(h.status().weight, 10u);
        QCOMPARE(h.traffic.weightOf("v2"), 10u);
        h.interval(50);
        QCOMPARE(h.status().intervals.back().index, 2u); // the count continues
    }

    void recoverResumesFreshEvidence()
    {
        Harness h;
        h.interval(50); // weight 20
        auto saved = h.status();
        h.traffic.splitNow = {{"v1", 90}, {"v2", 10}}; // a restarted meshd has the file's split
        h.traffic.totalsOf.clear(); // and counts from zero
        h.clock.advance(std::chrono::seconds(30));
        Rollout restarted(saved);
        const auto said = restarted.recover(h.traffic, h.clock.now());
        QVERIFY2(said.find("resumed progressing at 20 %") != std::string::npos, said.c_str());
        QCOMPARE(h.traffic.weightOf("v2"), 20u);
        h.traffic.serve("v2", 50);
        h.clock.advance(std::chrono::seconds(10));
        restarted.tick(h.traffic, h.clock.now());
        QCOMPARE(restarted.status().weight, 30u);
    }

    void recoverRollsBackStaleEvidence()
    {
        Harness h;
        auto saved = h.status();
        h.clock.advance(std::chrono::seconds(601));
        Rollout restarted(saved);
        const auto said = restarted.recover(h.traffic, h.clock.now());
        QCOMPARE(restarted.status().phase, Phase::RolledBack);
        QVERIFY2(said.find("601 s old, more than the 600 s allowed") != std::string::npos,
                 said.c_str());
        QCOMPARE(h.traffic.weightOf("v2"), 0u);
    }
};

QTEST_APPLESS_MAIN(TestRollout)
#include "tst_rollout.moc"
