// What a rollout may be asked: each range and strategy-specific field refused with a sentence,
// the canary's schedule and the predicted duration.
#include <QTest>

#include "control/rollout_config.h"

using namespace meshcore::control;

namespace {
RolloutSpec valid()
{
    RolloutSpec spec;
    spec.service = "web";
    spec.stable = "v1";
    spec.candidate = "v2";
    return spec;
}
} // namespace

class TestRolloutConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsAreValid() { QVERIFY(!rolloutSpecProblem(valid())); }

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void problems_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("says");
        QTest::newRow("same versions") << 0 << "another version than stable";
        QTest::newRow("step") << 1 << "step weight is a percentage from 1 to 100";
        QTest::newRow("max below step") << 2 << "from the step weight (10) to 100";
        QTest::newRow("ab without match") << 3 << "needs a header or cookie";
        QTest::newRow("match on canary") << 4 << "for A/B rollouts only";
        QTest::newRow("blue-green without traffic") << 5 << "enable analysis traffic";
        QTest::newRow("success rate") << 6 << "from 0 to 100";
        QTest::newRow("no requests") << 7 << "at least 1";
        QTest::newRow("ratio") << 8 << "at least 1 (1 means no slower";
        QTest::newRow("interval") << 9 << "1 second to 24 hours";
        QTest::newRow("path") << 10 << "starts with /";
        QTest::newRow("rps") << 11 << "at most 1000 requests per second";
    }
    void problems()
    {
        QFETCH(int, which);
        QFETCH(QString, says);
        auto spec = valid();
        switch (which) {
        case 0:
            spec.candidate = "v1";
            break;
        case 1:
            spec.stepWeight = 0;
            break;
        case 2:
            spec.maxWeight = 5;
            break;
        case 3:
            spec.strategy = RolloutStrategy::AB;
            break;
        case 4:
            spec.match = RequestMatch {RequestMatch::Kind::Header, "x", "y"};
            break;
        case 5:
            spec.strategy = RolloutStrategy::BlueGreen;
            break;
        case 6:
            spec.analysis.minSuccessRate = 101;
            break;
        case 7:
            spec.analysis.minRequests = 0;
            break;
        case 8:
            spec.analysis.maxP99Ratio = 0.5;
            break;
        case 9:
            spec.interval = std::chrono::seconds(0);
            break;
        case 10:
            spec.traffic.enabled = true;
            spec.traffic.paths = {"items"};
            break;
        case 11:
            spec.traffic.enabled = true;
            spec.traffic.rps = 5000;
            break;
        }
        const auto problem = rolloutSpecProblem(spec);
        QVERIFY(problem);
        QVERIFY2(problem->find(says.toStdString()) != std::string::npos, problem->c_str());
    }

    void scheduleAndDuration()
    {
        auto spec = valid();
        spec.stepWeight = 20;
        spec.maxWeight = 50;
        spec.interval = std::chrono::seconds(30);
        QCOMPARE(canarySchedule(spec), (std::vector<unsigned> {20, 40, 50}));
        QCOMPARE(predictedDuration(spec), std::chrono::seconds(90));
        spec.strategy = RolloutStrategy::BlueGreen;
        spec.iterations = 4;
        QCOMPARE(predictedDuration(spec), std::chrono::seconds(120));
        QCOMPARE(rolloutStrategyFromName("blue-green"), std::optional(RolloutStrategy::BlueGreen));
        QVERIFY(!rolloutStrategyFromName("linear"));
    }
};

QTEST_APPLESS_MAIN(TestRolloutConfig)
#include "tst_rollout_config.moc"
