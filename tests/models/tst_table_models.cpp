// The table models behind the service panel and the checks tab: QAbstractItemModelTester watches
// every signal, and a refresh must change only what changed (no resets, no remove-and-insert).
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include "models/checks_model.h"
#include "models/events_model.h"
#include "models/health.h"
#include "models/routes_model.h"
#include "models/workloads_model.h"

using namespace meshscope::models;
using meshcore::admin::RouteFigures;
using meshcore::admin::ServiceRoutes;

namespace {

ServiceRoutes routes(std::initializer_list<std::pair<const char *, double>> rates)
{
    ServiceRoutes r;
    r.service = "api";
    r.ns = "shop";
    for (const auto &[name, rps] : rates) {
        RouteFigures route;
        route.name = name;
        route.traffic.rps = rps;
        route.traffic.requests = static_cast<std::int64_t>(rps * 30);
        route.traffic.successRate = 1.0;
        r.routes.push_back(route);
    }
    return r;
}

// Counts the structural signals a refresh sends.
struct Signals {
    explicit Signals(QAbstractItemModel *model)
        : reset(model, &QAbstractItemModel::modelReset)
        , inserted(model, &QAbstractItemModel::rowsInserted)
        , removed(model, &QAbstractItemModel::rowsRemoved)
        , changed(model, &QAbstractItemModel::dataChanged)
    {
    }
    QSignalSpy reset;
    QSignalSpy inserted;
    QSignalSpy removed;
    QSignalSpy changed;
};

} // namespace

class TestTableModels : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aRefreshOfFiguresSendsOneDataChangedPerChangedRow()
    {
        RoutesModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto first = routes({{"search", 2}, {"items", 5}, {"default", 0}});
        model.setRoutes(&first);
        QCOMPARE(model.rowCount(), 3);
        Signals spy(&model);
        auto second = routes({{"search", 2}, {"items", 7}, {"default", 0}});
        model.setRoutes(&second);
        QCOMPARE(spy.reset.count(), 0);
        QCOMPARE(spy.inserted.count(), 0);
        QCOMPARE(spy.removed.count(), 0);
        QCOMPARE(spy.changed.count(), 1); // only "items"
        const auto topLeft = spy.changed.first().at(0).value<QModelIndex>();
        const auto bottomRight = spy.changed.first().at(1).value<QModelIndex>();
        QCOMPARE(topLeft.row(), 1);
        QCOMPARE(topLeft.column(),
                 int(RoutesModel::Rate)); // only the columns that show a difference
        QCOMPARE(bottomRight.column(), int(RoutesModel::Rate));
        QCOMPARE(model.data(model.index(1, RoutesModel::Rate)).toString(),
                 QStringLiteral("7.0 rps"));
    }

    void rowsComeAndGoOneBlockAtATime()
    {
        RoutesModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto first = routes({{"a", 1}, {"b", 1}, {"c", 1}, {"d", 1}});
        model.setRoutes(&first);
        Signals spy(&model);
        auto second = routes({{"a", 1}, {"d", 1}, {"e", 1}});
        model.setRoutes(&second);
        QCOMPARE(spy.reset.count(), 0);
        QCOMPARE(spy.removed.count(), 1); // b and c, one block
        QCOMPARE(spy.inserted.count(), 1); // e, at the end
        QCOMPARE(spy.changed.count(), 0);
        QCOMPARE(model.rowOf("e"), 2);
        QCOMPARE(model.rowOf("b"), -1);
        model.setRoutes(nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    void checksCountFailuresAndSortWorstFirst()
    {
        ChecksModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        using CheckStatus = meshcore::admin::CheckInfo::Status;
        meshcore::admin::ChecksReport report;
        using meshcore::admin::CheckInfo;
        report.checks = {CheckInfo {.name = "a",
                                    .title = "A",
                                    .status = CheckStatus::Pass,
                                    .message = "",
                                    .hint = "",
                                    .subjects = {}},
                         CheckInfo {.name = "b",
                                    .title = "B",
                                    .status = CheckStatus::Fail,
                                    .message = "broken",
                                    .hint = "fix it",
                                    .subjects = {"x"}},
                         CheckInfo {.name = "c",
                                    .title = "C",
                                    .status = CheckStatus::Warn,
                                    .message = "hmm",
                                    .hint = "",
                                    .subjects = {}}};
        model.setReport(&report);
        QCOMPARE(model.failing(), 1);
        QCOMPARE(model.warning(), 1);
        QCOMPARE(model.data(model.index(1, ChecksModel::State), SortRole).toInt(), 0);
        // The status, for the views to colour (models choose no colours).
        QCOMPARE(model.data(model.index(1, ChecksModel::State), StatusRole).toInt(),
                 int(Health::Failing));
        QCOMPARE(model.data(model.index(2, ChecksModel::State), StatusRole).toInt(),
                 int(Health::Warning));
        QCOMPARE(model.data(model.index(0, ChecksModel::State), StatusRole).toInt(),
                 int(Health::Healthy));
        QVERIFY(!model.data(model.index(1, ChecksModel::Message), StatusRole).isValid());
        QVERIFY(!model.data(model.index(1, ChecksModel::State), Qt::ForegroundRole).isValid());
        QVERIFY(model.data(model.index(1, ChecksModel::Message), Qt::ToolTipRole)
                    .toString()
                    .contains("Hint: fix it"));
        Signals spy(&model);
        report.checks[1].status = CheckStatus::Pass;
        report.checks[1].message.clear();
        model.setReport(&report);
        QCOMPARE(spy.changed.count(), 1);
        QCOMPARE(model.failing(), 0);
    }

    void workloadsOfTheSelectedServiceOnly()
    {
        WorkloadsModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        std::vector<meshcore::admin::WorkloadStatus> all(3);
        all[0].pod = "api-v1-0";
        all[0].service = "api";
        all[0].ns = "shop";
        all[0].supervised = true;
        all[0].processState = "running";
        all[0].rssKib = 20480;
        all[0].rssTrendKibPerMin = 10240;
        all[0].rssKeepsGrowing = true;
        all[1].pod = "api-v2-0";
        all[1].service = "api";
        all[1].ns = "shop";
        all[2].pod = "web-v1-0";
        all[2].service = "web";
        all[2].ns = "shop";
        model.setWorkloads(&all, "api.shop");
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.data(model.index(0, WorkloadsModel::Memory)).toString(),
                 QStringLiteral("20.0 MiB"));
        QVERIFY(model.data(model.index(0, WorkloadsModel::Trend))
                    .toString()
                    .startsWith(QStringLiteral("⚠")));
        QCOMPARE(model.data(model.index(0, WorkloadsModel::Trend), StatusRole).toInt(),
                 int(Health::Failing));
        QVERIFY(!model.data(model.index(0, WorkloadsModel::Memory), StatusRole).isValid());
        QCOMPARE(model.data(model.index(1, WorkloadsModel::Process)).toString(),
                 QStringLiteral("yours"));
    }

    void eventsArriveNewestFirstAndTheOldestGo()
    {
        EventsModel model(nullptr, 3);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append(
            {{1, 1000, "start", "shop", "started"}, {2, 2000, "split", "api", "split changed"}});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.data(model.index(0, EventsModel::Kind)).toString(), QStringLiteral("split"));
        model.append(
            {{3, 3000, "reload", "shop", "reloaded"}, {4, 4000, "breaker", "api-v1-0", "ejected"}});
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.data(model.index(0, EventsModel::Kind)).toString(),
                 QStringLiteral("breaker"));
        QCOMPARE(model.data(model.index(2, EventsModel::Kind)).toString(), QStringLiteral("split"));
        model.clear();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestTableModels)
#include "tst_table_models.moc"
