#include <QTest>

#include "ca/spiffe_id.h"

using meshcore::ca::parseSpiffeId;

class TestSpiffeId : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesAndPrints()
    {
        const auto id = parseSpiffeId("spiffe://mesh.local/ns/shop/sa/web-v2");
        QVERIFY(id);
        QCOMPARE(id->trustDomain, std::string("mesh.local"));
        QCOMPARE(id->ns, std::string("shop"));
        QCOMPARE(id->serviceAccount, std::string("web-v2"));
        QCOMPARE(id->toString(), std::string("spiffe://mesh.local/ns/shop/sa/web-v2"));
    }

    void refusesMalformedIdentities_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::newRow("scheme") << "https://mesh.local/ns/a/sa/b";
        QTest::newRow("no path") << "spiffe://mesh.local";
        QTest::newRow("wrong path") << "spiffe://mesh.local/sa/b/ns/a";
        QTest::newRow("upper case") << "spiffe://mesh.local/ns/A/sa/b";
        QTest::newRow("empty service") << "spiffe://mesh.local/ns/a/sa/";
        QTest::newRow("extra segment") << "spiffe://mesh.local/ns/a/sa/b/c";
        QTest::newRow("bad domain") << "spiffe://-mesh/ns/a/sa/b";
    }
    void refusesMalformedIdentities()
    {
        QFETCH(QString, uri);
        const auto id = parseSpiffeId(uri.toStdString());
        QVERIFY(!id);
        QVERIFY(id.error().message.find("expected spiffe://") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestSpiffeId)
#include "tst_spiffe_id.moc"
