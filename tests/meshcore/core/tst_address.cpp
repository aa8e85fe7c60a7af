#include <QTest>

#include "core/address.h"

using meshcore::parseAddress;

class TestAddress : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesValidAddresses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<bool>("loopback");
        QTest::newRow("ipv4") << "127.0.0.1:4191"
                              << "127.0.0.1" << 4191 << true;
        QTest::newRow("localhost") << "localhost:80"
                                   << "127.0.0.1" << 80 << true;
        QTest::newRow("other 127/8") << "127.1.2.3:0"
                                     << "127.1.2.3" << 0 << true;
        QTest::newRow("ipv6") << "[::1]:4191"
                              << "::1" << 4191 << true;
        QTest::newRow("not loopback") << "10.0.0.1:4191"
                                      << "10.0.0.1" << 4191 << false;
    }
    void parsesValidAddresses()
    {
        QFETCH(QString, text);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(bool, loopback);
        const auto address = parseAddress(text.toStdString());
        QVERIFY2(address, address ? "" : address.error().message.c_str());
        QCOMPARE(QString::fromStdString(address->host), host);
        QCOMPARE(int(address->port), port);
        QCOMPARE(address->isLoopback(), loopback);
    }

    void roundTripsThroughToString()
    {
        QCOMPARE(QString::fromStdString(parseAddress("[::1]:9")->toString()),
                 QStringLiteral("[::1]:9"));
        QCOMPARE(QString::fromStdString(parseAddress("127.0.0.1:9")->toString()),
                 QStringLiteral("127.0.0.1:9"));
    }

    void refusesInvalidAddresses_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("no port") << "127.0.0.1";
        QTest::newRow("empty port") << "127.0.0.1:";
        QTest::newRow("port too big") << "127.0.0.1:65536";
        QTest::newRow("negative port") << "127.0.0.1:-1";
        QTest::newRow("port with junk") << "127.0.0.1:80x";
        QTest::newRow("hostname") << "example.com:80";
        QTest::newRow("bare ipv6") << "::1:80";
        QTest::newRow("empty") << "";
    }
    void refusesInvalidAddresses()
    {
        QFETCH(QString, text);
        const auto address = parseAddress(text.toStdString());
        QVERIFY(!address);
        QCOMPARE(address.error().code, meshcore::ErrorCode::InvalidArgument);
        QVERIFY(address.error().message.find("not a valid address") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestAddress)
#include "tst_address.moc"
