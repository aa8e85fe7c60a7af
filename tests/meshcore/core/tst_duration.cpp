#include <QTest>

#include "core/duration.h"

using namespace std::chrono_literals;

class TestDuration : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("ms") << "250ms" << qint64(250);
        QTest::newRow("s") << "10s" << qint64(10000);
        QTest::newRow("m") << "5m" << qint64(300000);
        QTest::newRow("h") << "24h" << qint64(86400000);
        QTest::newRow("d") << "365d" << qint64(365LL * 86400000);
        QTest::newRow("compound") << "1h30m" << qint64(5400000);
        QTest::newRow("zero") << "0s" << qint64(0);
    }
    void parses()
    {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        const auto parsed = meshcore::parseDuration(text.toStdString());
        QVERIFY(parsed);
        QCOMPARE(qint64(parsed->count()), ms);
    }

    void refuses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("bare number") << "10";
        QTest::newRow("unknown unit") << "10y";
        QTest::newRow("negative") << "-5s";
        QTest::newRow("empty") << "";
        QTest::newRow("unit only") << "s";
        QTest::newRow("overflow") << "99999999999999h";
    }
    void refuses()
    {
        QFETCH(QString, text);
        const auto parsed = meshcore::parseDuration(text.toStdString());
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, meshcore::ErrorCode::InvalidArgument);
    }

    void formats()
    {
        QCOMPARE(meshcore::formatDuration(0ms), std::string("0s"));
        QCOMPARE(meshcore::formatDuration(5400000ms), std::string("1h30m"));
        QCOMPARE(meshcore::formatDuration(1250ms), std::string("1s250ms"));
        QCOMPARE(meshcore::formatDuration(*meshcore::parseDuration("2d3h")), std::string("2d3h"));
    }
};

QTEST_APPLESS_MAIN(TestDuration)
#include "tst_duration.moc"
