// The tap's table: strict time order whatever order requests arrive in, filters that clear the
// old rows and keep stragglers out, columns no row fills, and sorting beside the model.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include "models/item_roles.h"
#include "models/tap_model.h"
#include "models/tap_sort_model.h"

using meshcore::telemetry::TapEvent;
using meshscope::models::TapModel;
using meshscope::models::TapSortModel;

namespace {

TapEvent request(std::int64_t unixMs, const std::string &service, const std::string &path,
                 unsigned status = 200, double latencyMs = 1)
{
    TapEvent e;
    e.unixMs = unixMs;
    e.sourcePod = "frontend-v1-0";
    e.sourceService = "frontend.shop";
    e.destinationService = service;
    e.destinationPod = service.substr(0, service.find('.')) + "-v1-0";
    e.method = "GET";
    e.authority = service;
    e.path = path;
    e.route = "default";
    e.status = status;
    e.latencyMs = latencyMs;
    e.mtls = true;
    return e;
}

QStringList paths(const TapModel &model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << QString::fromStdString(model.eventAt(row)->path);
    return out;
}

} // namespace

class TestTapModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rowsAreInTimeOrderNewestFirst()
    {
        TapModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append({request(1000, "catalog.shop", "/a"), request(3000, "catalog.shop", "/c")});
        // A slow request that started between them arrives later: it goes where it started.
        model.append({request(2000, "catalog.shop", "/b"), request(4000, "catalog.shop", "/d")});
        model.append({request(500, "catalog.shop", "/first")});
        QCOMPARE(paths(model), QStringList({"/d", "/c", "/b", "/a", "/first"}));
    }

    void requestsOfTheSameMillisecondKeepTheirArrivalOrder()
    {
        TapModel model;
        model.append({request(1000, "catalog.shop", "/1"), request(1000, "catalog.shop", "/2")});
        model.append({request(1000, "catalog.shop", "/3")});
        QCOMPARE(paths(model), QStringList({"/3", "/2", "/1"})); // the later arrival above
    }

    void theOldestGoPastTheCapacity()
    {
        TapModel model(nullptr, 3);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append({request(5, "c.shop", "/5"), request(1, "c.shop", "/1"),
                      request(3, "c.shop", "/3"), request(4, "c.shop", "/4"),
                      request(2, "c.shop", "/2")});
        QCOMPARE(paths(model), QStringList({"/5", "/4", "/3"}));
        model.append({request(0, "c.shop", "/0")}); // older than all kept: in, then out again
        QCOMPARE(paths(model), QStringList({"/5", "/4", "/3"}));
        model.append({request(6, "c.shop", "/6")});
        QCOMPARE(paths(model), QStringList({"/6", "/5", "/4"}));
    }

    void aNewFilterClearsTheRowsAndKeepsStragglersOut()
    {
        TapModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append({request(1, "catalog.shop", "/items"), request(2, "cart.shop", "/cart")});
        QCOMPARE(model.rowCount(), 2);
        meshcore::telemetry::TapFilter filter;
        filter.service = "cart";
        model.setFilter(filter);
        QCOMPARE(model.rowCount(), 0);
        // What the old tap still delivers does not show.
        model.append({request(3, "catalog.shop", "/items"), request(4, "cart.shop", "/cart/2")});
        QCOMPARE(paths(model), QStringList({"/cart/2"}));
    }

    void aColumnNoRowFillsIsReportedEmpty()
    {
        TapModel model(nullptr, 2);
        QSignalSpy changed(&model, &TapModel::filledColumnsChanged);
        model.append({request(1, "catalog.shop", "/a")});
        QVERIFY(model.columnFilled(TapModel::Path));
        QVERIFY(!model.columnFilled(TapModel::Error));
        QVERIFY(!model.columnFilled(TapModel::Retries));
        const int before = static_cast<int>(changed.count());
        auto failed = request(2, "catalog.shop", "/b", 504, 1000);
        failed.error = "timeout";
        failed.retries = 2;
        model.append({failed});
        QVERIFY(model.columnFilled(TapModel::Error));
        QVERIFY(model.columnFilled(TapModel::Retries));
        QCOMPARE(changed.count(), before + 1);
        model.append({request(3, "catalog.shop", "/c")}); // still one error in view: no change
        QCOMPARE(changed.count(), before + 1);
        model.append({request(4, "catalog.shop", "/d")}); // the failed one went past capacity
        QVERIFY(!model.columnFilled(TapModel::Error));
        QCOMPARE(changed.count(), before + 2);
    }

    void sortingUsesNumbersAndBreaksTiesByTime()
    {
        TapModel model;
        TapSortModel sorted;
        sorted.setSourceModel(&model);
        QAbstractItemModelTester tester(&sorted,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.append({request(1, "c.shop", "/slow", 200, 900),
                      request(2, "c.shop", "/fast", 200, 9), request(3, "c.shop", "/mid", 200, 90),
                      request(4, "c.shop", "/tie", 200, 90)});
        const auto column = [&](int c) {
            QStringList out;
            for (int row = 0; row < sorted.rowCount(); ++row)
                out << sorted.index(row, c).data().toString();
            return out;
        };
        sorted.sort(TapModel::Latency, Qt::AscendingOrder); // 9 < 90 < 900, not as text
        QCOMPARE(column(TapModel::Path),
                 QStringList({"c.shop/fast", "c.shop/mid", "c.shop/tie", "c.shop/slow"}));
        sorted.sort(TapModel::Latency, Qt::DescendingOrder);
        QCOMPARE(column(TapModel::Path),
                 QStringList({"c.shop/slow", "c.shop/tie", "c.shop/mid", "c.shop/fast"}));
        // New rows go to their place in the sort.
        model.append({request(5, "c.shop", "/slowest", 200, 5000)});
        QCOMPARE(column(TapModel::Path).first(), QStringLiteral("c.shop/slowest"));
        sorted.sort(TapModel::Time, Qt::AscendingOrder);
        QCOMPARE(sorted.index(0, TapModel::Time).data(meshscope::models::SortRole).toLongLong(), 1);
    }
};

QTEST_GUILESS_MAIN(TestTapModel)
#include "tst_tap_model.moc"
