// The rollout models behind the cockpit (QAbstractItemModelTester on each): the list with each
// service's current rollout marked, a refresh changing only what changed, the intervals' verdict
// colours and failing checks' sentences, the events; the plan in words and as steps, and which
// actions apply in each phase.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include "models/health.h"
#include "models/item_roles.h"
#include "models/rollout_action_rules.h"
#include "models/rollout_events_model.h"
#include "models/rollout_intervals_model.h"
#include "models/rollout_schedule.h"
#include "models/rollout_text.h"
#include "models/rollouts_model.h"

using namespace meshscope::models;
using meshcore::rollout::Action;
using meshcore::rollout::Phase;
using meshcore::rollout::RolloutStatus;

namespace {

RolloutStatus rollout(const char *service, std::int64_t started, Phase phase, unsigned weight = 10)
{
    RolloutStatus s;
    s.spec.service = service;
    s.spec.ns = "shop";
    s.spec.stable = "v1";
    s.spec.candidate = "v2";
    s.startedUnix = started;
    s.phase = phase;
    s.weight = weight;
    return s;
}

meshcore::rollout::IntervalRecord interval(unsigned index, bool pass)
{
    meshcore::rollout::IntervalRecord i;
    i.index = index;
    i.weight = 10 * index;
    i.candidate = {100, pass ? 0u : 9u, pass ? 100.0 : 91.0, 40};
    i.stable = {300, 0, 100, 30};
    i.verdict = pass ? meshcore::rollout::Verdict::Pass : meshcore::rollout::Verdict::Fail;
    i.checks.push_back({"success-rate", i.candidate.successRate, 99, pass,
                        pass ? "success rate 100 % is at least 99 %"
                             : "success rate 91 % is below the minimum 99 %"});
    i.summary = pass ? "passed" : "failed";
    return i;
}

} // namespace

class TestRolloutModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theListMarksEachServicesCurrentRollout()
    {
        RolloutsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        // As meshd lists them: active first, then finished, newest first.
        std::vector<RolloutStatus> list {rollout("web", 300, Phase::Progressing),
                                         rollout("api", 200, Phase::RolledBack),
                                         rollout("web", 100, Phase::Succeeded)};
        model.setRollouts(&list);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.currentOf("web.shop"), QStringLiteral("web.shop@300"));
        QCOMPARE(model.currentOf("api.shop"), QStringLiteral("api.shop@200"));
        QVERIFY(!model.find("web.shop@100")->current);
        QCOMPARE(model.firstActive(), QStringLiteral("web.shop@300"));
        QCOMPARE(model.data(model.index(1, RolloutsModel::State), StatusRole).toInt(),
                 int(Health::Failing));
        QCOMPARE(model.data(model.index(0, RolloutsModel::Versions)).toString(),
                 QStringLiteral("v1 → v2"));

        // The weight moves: one dataChanged, no reset, no rows moved.
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        list[0].weight = 20;
        model.setRollouts(&list);
        QCOMPARE(reset.count(), 0);
        QCOMPARE(removed.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.data(model.index(0, RolloutsModel::Weight)).toString(),
                 QStringLiteral("20 %"));
    }

    void theIntervalsSayWhatFailed()
    {
        RolloutIntervalsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto status = rollout("web", 100, Phase::Progressing);
        status.intervals = {interval(1, true), interval(2, false)};
        model.setRollout(&status);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.data(model.index(1, RolloutIntervalsModel::Verdict)).toString(),
                 QStringLiteral("fail"));
        QCOMPARE(model.data(model.index(1, RolloutIntervalsModel::Verdict), StatusRole).toInt(),
                 int(Health::Failing));
        QCOMPARE(
            model.data(model.index(1, RolloutIntervalsModel::CandidateSuccess), StatusRole).toInt(),
            int(Health::Failing));
        QCOMPARE(model.data(model.index(1, RolloutIntervalsModel::Decision)).toString(),
                 QStringLiteral("success rate 91 % is below the minimum 99 %"));
        QCOMPARE(model.data(model.index(0, RolloutIntervalsModel::Decision)).toString(),
                 QStringLiteral("passed"));
        // A new interval is one row more; another rollout replaces them all.
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        status.intervals.push_back(interval(3, true));
        model.setRollout(&status);
        QCOMPARE(inserted.count(), 1);
        model.setRollout(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void theEventsKeepEveryTransition()
    {
        RolloutEventsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto status = rollout("web", 100, Phase::Paused);
        status.transitions = {{100, Phase::Progressing, 10, "started at 10 %"},
                              {100, Phase::Progressing, 10, "started at 10 %"},
                              {105, Phase::Paused, 10, "paused by the user at 10 %"}};
        model.setRollout(&status);
        QCOMPARE(model.rowCount(), 3); // the same sentence twice in a second stays twice
        QCOMPARE(model.data(model.index(2, RolloutEventsModel::State)).toString(),
                 QStringLiteral("paused"));
        QVERIFY(model.data(model.index(2, RolloutEventsModel::Time), SortRole).toLongLong()
                > model.data(model.index(1, RolloutEventsModel::Time), SortRole).toLongLong());
    }

    void thePlanInWordsAndSteps()
    {
        meshcore::control::RolloutSpec spec; // the defaults: 10 % steps to 50 %, every 30 s
        spec.service = "recommendations";
        spec.ns = "shop";
        spec.stable = "v1";
        spec.candidate = "v2";
        const auto lines = planSentences(spec);
        QCOMPARE(lines.first(),
                 QStringLiteral("v2 gets 10 % now (v1 keeps the rest), then +10 % every 30 s up "
                                "to 50 % while success >= 99 % and p99 <= 500 ms over at least "
                                "20 requests; a pass at 50 % promotes it to 100 %."));
        QVERIFY(lines.contains(QStringLiteral("2 failed intervals roll it back to v1.")));
        QCOMPARE(lines.last(),
                 QStringLiteral("Done in about 2 min 30 s if every interval passes."));
        const QList<QPointF> steps {{0, 10}, {30, 20}, {60, 30}, {90, 40}, {120, 50}, {150, 100}};
        QCOMPARE(plannedWeights(spec), steps);
        spec.strategy = meshcore::control::RolloutStrategy::BlueGreen;
        spec.iterations = 3;
        QCOMPARE(plannedWeights(spec), (QList<QPointF> {{0, 0}, {90, 100}}));
        QCOMPARE(durationText(std::chrono::seconds(3700)), QStringLiteral("1 h 1 min"));
    }

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void actionsApplyAsMeshdAllowsThem_data()
    {
        QTest::addColumn<int>("phase");
        QTest::addColumn<QString>("enabled");
        QTest::newRow("progressing")
            << int(Phase::Progressing) << "pause promote skip set-weight abort";
        QTest::newRow("paused") << int(Phase::Paused) << "resume promote skip set-weight abort";
        QTest::newRow("promoting") << int(Phase::Promoting) << "abort";
        QTest::newRow("succeeded") << int(Phase::Succeeded) << "";
        QTest::newRow("rolled-back") << int(Phase::RolledBack) << "retry";
        QTest::newRow("aborted") << int(Phase::Aborted) << "retry";
    }

    void actionsApplyAsMeshdAllowsThem()
    {
        QFETCH(int, phase);
        QFETCH(QString, enabled);
        const auto status = rollout("web", 1, static_cast<Phase>(phase));
        QStringList applies;
        for (const Action action : AllActions) {
            if (actionApplies(status, action))
                applies << QString::fromLatin1(meshcore::rollout::actionName(action));
            QVERIFY(!actionApplies(status, action, false)); // an older one: none
        }
        QCOMPARE(applies.join(' '), enabled);
        QVERIFY(!changesTraffic(Action::Pause));
        QVERIFY(changesTraffic(Action::Abort));
    }
};

QTEST_MAIN(TestRolloutModels)
#include "tst_rollout_models.moc"
