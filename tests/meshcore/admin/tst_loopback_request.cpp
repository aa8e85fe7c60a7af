#include <QTest>

#include <nlohmann/json.hpp>

#include "admin/loopback_request.h"

using meshcore::admin::isLoopbackHost;
using meshcore::admin::isLoopbackOrigin;
using meshcore::admin::refuseForeignRequest;
using meshcore::admin::RequestNames;

class TestLoopbackRequest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void hosts_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("loopback");
        QTest::newRow("127.0.0.1 with port") << "127.0.0.1:4191" << true; // curl, Prometheus
        QTest::newRow("127.0.0.1") << "127.0.0.1" << true;
        QTest::newRow("elsewhere in 127/8") << "127.3.2.1:80" << true;
        QTest::newRow("localhost") << "localhost" << true;
        QTest::newRow("localhost with port") << "localhost:4191" << true;
        QTest::newRow("LocalHost") << "LocalHost:4191" << true;
        QTest::newRow("[::1]") << "[::1]" << true;
        QTest::newRow("[::1] with port") << "[::1]:4191" << true;
        QTest::newRow("[::1] long form") << "[0:0:0:0:0:0:0:1]:1" << true;
        QTest::newRow("rebinding name") << "evil.example" << false;
        QTest::newRow("rebinding name with port") << "evil.example:4191" << false;
        QTest::newRow("localhost as a subdomain") << "localhost.evil.example" << false;
        QTest::newRow("ends in localhost") << "evillocalhost" << false;
        QTest::newRow("127 as a name") << "127.0.0.1.evil.example" << false;
        QTest::newRow("short ipv4") << "127.1" << false;
        QTest::newRow("other address") << "10.0.0.1:4191" << false;
        QTest::newRow("any address") << "0.0.0.0:4191" << false;
        QTest::newRow("ipv6 unbracketed") << "::1" << false;
        QTest::newRow("ipv6 other") << "[::2]:4191" << false;
        QTest::newRow("ipv4-mapped") << "[::ffff:127.0.0.1]" << false;
        QTest::newRow("unclosed bracket") << "[::1:4191" << false;
        QTest::newRow("empty port") << "localhost:" << false;
        QTest::newRow("port too big") << "localhost:65536" << false;
        QTest::newRow("port not a number") << "127.0.0.1:http" << false;
        QTest::newRow("userinfo") << "127.0.0.1@evil.example" << false;
        QTest::newRow("empty") << "" << false;
    }
    void hosts()
    {
        QFETCH(QString, host);
        QFETCH(bool, loopback);
        QCOMPARE(isLoopbackHost(host.toStdString()), loopback);
    }

    void origins()
    {
        QVERIFY(isLoopbackOrigin("http://127.0.0.1:4191"));
        QVERIFY(isLoopbackOrigin("http://localhost:3000"));
        QVERIFY(isLoopbackOrigin("http://[::1]:8080"));
        QVERIFY(isLoopbackOrigin("http://localhost"));
        QVERIFY(!isLoopbackOrigin("http://evil.example"));
        QVERIFY(!isLoopbackOrigin("https://evil.example:4191"));
        QVERIFY(!isLoopbackOrigin("http://localhost.evil.example"));
        QVERIFY(!isLoopbackOrigin("null")); // a sandboxed frame, a file:// page
        QVERIFY(!isLoopbackOrigin("file://"));
        QVERIFY(!isLoopbackOrigin("http://"));
        QVERIFY(!isLoopbackOrigin(""));
    }

    void foreignRequestsAreRefusedWithTheApisErrorShape()
    {
        const auto code = [](const RequestNames &names) -> std::pair<int, std::string> {
            const auto refused = refuseForeignRequest(names);
            if (!refused)
                return {0, {}};
            const auto json = nlohmann::json::parse(refused->body);
            return {refused->status, json.at("error").at("code").get<std::string>()};
        };
        using Answer = std::pair<int, std::string>;
        QCOMPARE(code({{"127.0.0.1:4191"}, {}}), Answer(0, {}));
        QCOMPARE(code({{}, {}}), Answer(0, {})); // no Host: not a browser
        QCOMPARE(code({{"localhost:4191"}, {"http://localhost:4191"}}), Answer(0, {}));
        QCOMPARE(code({{"evil.example"}, {}}), Answer(421, "misdirected-request"));
        QCOMPARE(code({{"127.0.0.1", "evil.example"}, {}}), Answer(421, "misdirected-request"));
        QCOMPARE(code({{"127.0.0.1:4191"}, {"http://evil.example"}}),
                 Answer(403, "forbidden-origin"));
        QCOMPARE(code({{"127.0.0.1:4191"}, {"null"}}), Answer(403, "forbidden-origin"));
        QCOMPARE(code({{}, {"http://localhost", "http://evil.example"}}),
                 Answer(403, "forbidden-origin"));
        // A Host that is not UTF-8 is quoted in the message without breaking the JSON.
        QCOMPARE(code({{"\xFF\xFE"}, {}}), Answer(421, "misdirected-request"));
    }
};

QTEST_APPLESS_MAIN(TestLoopbackRequest)
#include "tst_loopback_request.moc"
