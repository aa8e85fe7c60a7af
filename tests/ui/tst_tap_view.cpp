// The Tap tab as a user drives it: typing filters (applied after a pause, or at once on Enter),
// rows in time order, sorting by a header click, the details of the selected request, columns
// nobody fills, and a long error that must not widen the window. Offscreen, with requests fed
// into the view's model, and once with a real meshd's tap.
#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QTimer>
#include <QVBoxLayout>

#include "models/item_roles.h"
#include "models/tap_model.h"
#include "models/tap_stream.h"
#include "tests/support/meshd_process.h"
#include "tests/support/temp_state.h"
#include "ui/tap_details.h"
#include "ui/tap_table.h"
#include "ui/tap_view.h"

using meshcore::telemetry::TapEvent;
using meshscope::models::TapModel;
using meshscope::testing::MeshdProcess;
using meshscope::testing::TempState;
using meshscope::ui::TapView;

namespace {

TapEvent request(std::int64_t unixMs, const std::string &service, const std::string &path,
                 double latencyMs = 2)
{
    TapEvent e;
    e.unixMs = unixMs;
    e.sourcePod = "frontend-v1-0";
    e.sourceService = "frontend.shop";
    e.sourceIdentity = "spiffe://mesh.local/ns/shop/sa/frontend";
    e.destinationService = service;
    e.destinationPod = service.substr(0, service.find('.')) + "-v2-1";
    e.destinationIdentity
        = "spiffe://mesh.local/ns/shop/sa/" + service.substr(0, service.find('.'));
    e.method = "GET";
    e.authority = service;
    e.path = path;
    e.route = "items";
    e.status = 200;
    e.latencyMs = latencyMs;
    e.mtls = true;
    return e;
}

// A tap view in a window of the Tap tab's size, its stream pointed where nothing answers (port
// 1 refuses), so only the requests a test feeds show.
struct Tab {
    TempState state;
    meshscope::models::TapStream stream {{"127.0.0.1", 1}, state.stateDir()};
    TapModel model;
    QWidget window;
    TapView *view = new TapView(&stream, &model, &window);

    explicit Tab(QSize size = {1280, 250})
    {
        auto *layout = new QVBoxLayout(&window);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(view);
        window.resize(size);
        window.show();
    }
    QLineEdit *edit(const char *name) const { return view->findChild<QLineEdit *>(name); }
    // The rows in the order the table shows them.
    QStringList shown(int column) const
    {
        QStringList out;
        const auto *table = view->table();
        for (int row = 0; row < table->model()->rowCount(); ++row)
            out << table->model()->index(row, column).data().toString();
        return out;
    }
    QList<qint64> shownTimes() const
    {
        QList<qint64> out;
        const auto *table = view->table();
        for (int row = 0; row < table->model()->rowCount(); ++row)
            out << table->model()
                       ->index(row, TapModel::Time)
                       .data(meshscope::models::SortRole)
                       .toLongLong();
        return out;
    }
    // Saves what the user sees when MESHSCOPE_GRAB_DIR is set (for looking at it).
    void grab(const QString &name)
    {
        const QString dir = qEnvironmentVariable("MESHSCOPE_GRAB_DIR");
        if (!dir.isEmpty())
            window.grab().save(dir + "/" + name);
    }
};

bool newestFirst(const QList<qint64> &times)
{
    for (qsizetype i = 1; i < times.size(); ++i)
        if (times[i - 1] < times[i])
            return false;
    return true;
}

} // namespace

class TestTapView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void typingFiltersAfterAPauseAndClearsTheOldRows()
    {
        Tab tab;
        tab.model.append(
            {request(1000, "catalog.shop", "/items"), request(2000, "cart.shop", "/cart")});
        QCOMPARE(tab.view->table()->model()->rowCount(), 2);
        QTest::keyClicks(tab.edit("tapService"), QStringLiteral("cart"));
        // Not yet: the filter waits for a pause in the typing, not a keystroke each.
        QVERIFY(tab.view->findChild<QTimer *>("tapFilterDelay")->isActive());
        QCOMPARE(tab.model.filter().service, std::string());
        QTRY_COMPARE(tab.model.filter().service, std::string("cart"));
        QCOMPARE(tab.view->query(), QStringLiteral("service=cart"));
        QCOMPARE(tab.view->table()->model()->rowCount(), 0); // the old filter's rows went
        // Stragglers of the old tap and new requests, in no order: only cart's, newest first.
        tab.model.append({request(5000, "cart.shop", "/cart/5"),
                          request(3000, "catalog.shop", "/items"),
                          request(4000, "cart.shop", "/cart/4")});
        tab.model.append({request(4500, "cart.shop", "/cart/4.5")});
        QCOMPARE(tab.shown(TapModel::Path),
                 QStringList({"cart.shop/cart/5", "cart.shop/cart/4.5", "cart.shop/cart/4"}));
        QVERIFY(newestFirst(tab.shownTimes()));
        tab.grab(QStringLiteral("tap-filtered.png"));
    }

    void enterAppliesAtOnce()
    {
        Tab tab;
        QTest::keyClicks(tab.edit("tapRoute"), QStringLiteral("items"));
        QTest::keyClick(tab.edit("tapRoute"), Qt::Key_Return);
        QCOMPARE(tab.model.filter().route, std::string("items"));
        QVERIFY(!tab.view->findChild<QTimer *>("tapFilterDelay")->isActive());
        tab.view->findChild<QComboBox *>("tapStatus")->setCurrentText(QStringLiteral("5xx"));
        QCOMPARE(tab.model.filter().statusClass, 5u);
        QCOMPARE(tab.view->query(), QStringLiteral("route=items&status=5xx"));
    }

    void clickingAHeaderSortsByItsNumbers()
    {
        Tab tab;
        tab.model.append({request(1000, "c.shop", "/slow", 900),
                          request(2000, "c.shop", "/fast", 9),
                          request(3000, "c.shop", "/mid", 90)});
        auto *header = tab.view->table()->horizontalHeader();
        const auto click = [&](int column) {
            const int x = header->sectionViewportPosition(column) + header->sectionSize(column) / 2;
            QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                              QPoint(x, header->height() / 2));
        };
        QCOMPARE(tab.shown(TapModel::Path),
                 QStringList({"c.shop/mid", "c.shop/fast", "c.shop/slow"}));
        click(TapModel::Latency); // the slowest first
        QCOMPARE(header->sortIndicatorSection(), int(TapModel::Latency));
        QCOMPARE(tab.shown(TapModel::Path),
                 QStringList({"c.shop/slow", "c.shop/mid", "c.shop/fast"}));
        click(TapModel::Latency);
        QCOMPARE(tab.shown(TapModel::Path),
                 QStringList({"c.shop/fast", "c.shop/mid", "c.shop/slow"}));
        click(TapModel::Time);
        QVERIFY(newestFirst(tab.shownTimes()));
    }

    void selectingARequestShowsAllItsFields()
    {
        Tab tab;
        auto failed = request(1700000000123, "catalog.shop", "/items/7", 1234.5);
        failed.status = 504;
        failed.error = "timeout";
        failed.retries = 2;
        tab.model.append({request(1700000000000, "catalog.shop", "/items/1"), failed});
        auto *table = tab.view->table();
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                          table->visualRect(table->model()->index(0, TapModel::Path)).center());
        QVERIFY(tab.view->details()->shown().has_value());
        QCOMPARE(tab.view->details()->shown()->path, std::string("/items/7"));
        const QString text = tab.view->details()->toPlainText();
        for (const char *field :
             {"GET /items/7", "catalog.shop", "504", "1.2 s", "timeout", "items", "mTLS",
              "frontend-v1-0", "spiffe://mesh.local/ns/shop/sa/frontend", "catalog-v2-1",
              "spiffe://mesh.local/ns/shop/sa/catalog", ":20.123"})
            QVERIFY2(text.contains(QLatin1String(field)), field);
        // Every column in view: the table fits its columns to its width.
        int sum = 0;
        for (int c = 0; c < TapModel::ColumnCount; ++c)
            sum += table->isColumnHidden(c) ? 0 : table->columnWidth(c);
        QVERIFY2(sum <= table->viewport()->width(), qPrintable(QString::number(sum)));
        tab.grab(QStringLiteral("tap-details.png"));
        // A new filter clears the rows, and the details with them.
        tab.view->setFilters(QStringLiteral("cart"), {}, {}, {});
        QVERIFY(!tab.view->details()->shown().has_value());
    }

    void aColumnNoRowFillsIsHiddenAndRowsAreCompact()
    {
        Tab tab;
        auto *table = tab.view->table();
        tab.model.append(
            {request(1000, "catalog.shop", "/a"), request(2000, "catalog.shop", "/b")});
        QVERIFY(table->isColumnHidden(TapModel::Error));
        QVERIFY(table->isColumnHidden(TapModel::Retries));
        QVERIFY(!table->isColumnHidden(TapModel::Path));
        auto failed = request(3000, "catalog.shop", "/c");
        failed.error = "unavailable";
        tab.model.append({failed});
        QVERIFY(!table->isColumnHidden(TapModel::Error));
        QVERIFY(table->isColumnHidden(TapModel::Retries));
        // Rows as high as the text and a little air.
        QVERIFY(table->rowHeight(0) <= table->fontMetrics().height() + 6);
    }

    void aLongErrorNeverWidensTheWindow()
    {
        Tab tab({700, 250});
        QVERIFY2(tab.view->minimumSizeHint().width() <= 400,
                 qPrintable(QString::number(tab.view->minimumSizeHint().width())));
        const QString longError = QStringLiteral("Failed to connect to 127.0.0.1 port 4191: ")
            + QString(2000, QLatin1Char('x'));
        auto failed = request(1000, "catalog.shop", "/items");
        failed.error = std::string(3000, 'e');
        failed.path = "/" + std::string(3000, 'p');
        tab.model.append({failed});
        tab.view->table()->selectRow(0);
        QCoreApplication::processEvents();
        // (Emitted here, after the events: the stream's own error, from port 1, could follow.)
        Q_EMIT tab.stream.stateChanged(false, longError);
        QVERIFY(tab.view->statusText().contains(longError)); // kept whole, shown elided
        QVERIFY2(tab.view->minimumSizeHint().width() <= 400,
                 qPrintable(QString::number(tab.view->minimumSizeHint().width())));
        QVERIFY(tab.window.minimumSizeHint().width() <= 400);
        QCOMPARE(tab.window.width(), 700);
        tab.grab(QStringLiteral("tap-long-error.png"));
    }

    void aRealTapShowsTheFilteredServiceInTimeOrder()
    {
        TempState state;
        auto meshd = MeshdProcess::start(state.stateDirQString());
        QVERIFY(meshd);
        meshscope::models::TapStream stream(meshd->adminAddress(), state.stateDir());
        TapModel model;
        connect(&stream, &meshscope::models::TapStream::arrived, &model, &TapModel::append);
        TapView view(&stream, &model);
        view.resize(1280, 250);
        view.show(); // the tap opens
        QTest::keyClicks(view.findChild<QLineEdit *>("tapService"), QStringLiteral("catalog"));
        QTRY_COMPARE(model.filter().service, std::string("catalog"));
        QTRY_VERIFY_WITH_TIMEOUT(view.table()->model()->rowCount() >= 5, 20000);
        QList<qint64> times;
        for (int row = 0; row < view.table()->model()->rowCount(); ++row) {
            const auto index = view.table()->model()->index(row, TapModel::Destination);
            QVERIFY(index.data().toString().startsWith(QLatin1String("catalog-")));
            times << view.table()
                         ->model()
                         ->index(row, TapModel::Time)
                         .data(meshscope::models::SortRole)
                         .toLongLong();
        }
        QVERIFY(newestFirst(times));
        const QString dir = qEnvironmentVariable("MESHSCOPE_GRAB_DIR");
        if (!dir.isEmpty()) {
            view.table()->selectRow(1);
            QTest::qWait(1200); // the columns follow the names once a second
            view.grab().save(dir + "/tap-live.png");
        }
    }
};

QTEST_MAIN(TestTapView)
#include "tst_tap_view.moc"
