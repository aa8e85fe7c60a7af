// meshd's health checks as users meet them (`meshd check`), each made to fire by the fault it
// is about and, where the fault can be undone, to clear again.
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

#include <csignal>
#include <fcntl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "admin/admin_token.h"
#include "client/admin_client.h"
#include "tests/support/http_backend.h"
#include "tests/support/meshd_process.h"
#include "tests/support/proxy_client.h"
#include "tests/support/raw_socket.h"
#include "tests/support/temp_state.h"

using meshscope::testing::HttpBackend;
using meshscope::testing::MeshdProcess;
using meshscope::testing::runMeshd;
using meshscope::testing::TempState;

namespace {

struct Mesh {
    TempState state;
    QString config;
    QByteArray yaml;
    std::unique_ptr<MeshdProcess> meshd;
    meshcore::Address local;

    explicit Mesh(const QString &services)
    {
        config = state.path(QStringLiteral("mesh.yaml"));
        yaml = ("mesh: {name: shop}\nservices:\n" + services).toUtf8();
        write(yaml);
        meshd = MeshdProcess::start(state.stateDirQString(), {QStringLiteral("--config"), config});
        if (!meshd)
            return;
        const auto m = QRegularExpression(
                           QStringLiteral("outbound proxy for local clients on (\\S+):(\\d+)"))
                           .match(meshd->output());
        local = {m.captured(1).toStdString(), static_cast<std::uint16_t>(m.captured(2).toUInt())};
    }
    void write(const QByteArray &text) const
    {
        QFile file(config);
        if (file.open(QIODevice::WriteOnly))
            file.write(text);
    }
    // `meshd check`: its exit status and output.
    meshscope::testing::MeshdRun check() const
    {
        return runMeshd({QStringLiteral("check"), QStringLiteral("--admin"),
                         meshd->adminAddressText(), QStringLiteral("--state-dir"),
                         state.stateDirQString()});
    }
    // One check's status from the API.
    QString status(const QString &name) const
    {
        meshcore::client::AdminClient::Options options;
        options.address = meshd->adminAddress();
        options.token = *meshcore::admin::readAdminToken(state.stateDir());
        auto client = std::move(*meshcore::client::AdminClient::create(options));
        const auto json = QJsonDocument::fromJson(QByteArray::fromStdString(
                                                      client->get("/api/v1/checks").value_or("{}")))
                              .object();
        for (const auto &c : json.value(QStringLiteral("checks")).toArray())
            if (c.toObject().value(QStringLiteral("name")).toString() == name)
                return c.toObject().value(QStringLiteral("status")).toString();
        return {};
    }
};

} // namespace

class TestMeshdChecks : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aHealthyMeshPasses()
    {
        HttpBackend api;
        Mesh mesh(QStringLiteral("  - {name: api, namespace: shop, versions: [{name: v1, replicas: "
                                 "[{port: %1}]}]}\n")
                      .arg(api.address().port));
        QVERIFY(mesh.meshd);
        const auto run = mesh.check();
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(QStringLiteral("Status: all checks pass")), qPrintable(run.out));
        QVERIFY(run.out.contains(
            QStringLiteral("\u221a every workload is reached only through its inbound proxy")));
    }

    void aMisspelledDestinationWarnsWithADidYouMean()
    {
        HttpBackend api;
        Mesh mesh(QStringLiteral("  - {name: catalog, namespace: shop, versions: [{name: v1, "
                                 "replicas: [{port: %1}]}]}\n")
                      .arg(api.address().port));
        QVERIFY(mesh.meshd);
        meshscope::testing::RawSocket client(mesh.local);
        QVERIFY(
            client.send("GET http://catalgo.shop/items HTTP/1.1\r\nHost: catalgo.shop\r\n\r\n"));
        QVERIFY(client.readUntil("\r\n\r\n", std::chrono::seconds(5)).starts_with("HTTP/1.1 503"));
        const auto run = mesh.check();
        QCOMPARE(run.exitCode, 0); // a warning
        QVERIFY2(
            run.out.contains(QStringLiteral("local-client called 'catalgo.shop', which no service "
                                            "is (1 request answered 503 in the last minute)")),
            qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral(
                     "hint: did you mean catalog.shop? fix the URL in local-client")),
                 qPrintable(run.out));
    }

    void aConnectionAroundTheSidecarIsSeenAndClears()
    {
        HttpBackend api;
        Mesh mesh(QStringLiteral("  - {name: api, namespace: shop, versions: [{name: v1, replicas: "
                                 "[{port: %1}]}]}\n")
                      .arg(api.address().port));
        QVERIFY(mesh.meshd);
        QCOMPARE(mesh.status(QStringLiteral("proxy-bypass")), QStringLiteral("pass"));
        {
            // The "forgot to inject the proxy" case: a client talks to the workload's port
            // directly.
            meshscope::testing::RawSocket direct(api.address());
            QVERIFY(direct.connected());
            QTRY_COMPARE_WITH_TIMEOUT(mesh.status(QStringLiteral("proxy-bypass")),
                                      QStringLiteral("warn"), 3000);
            const auto run = mesh.check();
            QVERIFY2(run.out.contains(QStringLiteral("api-v1-0 has 1 connection on 127.0.0.1:%1 "
                                                     "that did not come through its sidecar")
                                          .arg(api.address().port)),
                     qPrintable(run.out));
            // Traffic through the mesh is not mistaken for it.
            meshscope::testing::RawSocket meshed(mesh.local);
            QVERIFY(meshed.send("GET http://api.shop/ HTTP/1.1\r\nHost: api.shop\r\n\r\n"));
            QVERIFY(
                meshed.readUntil("body=0", std::chrono::seconds(5)).starts_with("HTTP/1.1 200"));
            QVERIFY(mesh.check().out.contains(QStringLiteral("api-v1-0 has 1 connection")));
        }
        QTRY_COMPARE_WITH_TIMEOUT(mesh.status(QStringLiteral("proxy-bypass")),
                                  QStringLiteral("pass"), 3000);
    }

    void aWorkloadNobodyRunsWarnsUntilItListens()
    {
        const auto port = meshscope::testing::unusedLoopbackAddress().port;
        Mesh mesh(QStringLiteral("  - {name: api, namespace: shop, versions: [{name: v1, replicas: "
                                 "[{port: %1}]}]}\n")
                      .arg(port));
        QVERIFY(mesh.meshd);
        QCOMPARE(mesh.status(QStringLiteral("workloads-listening")), QStringLiteral("warn"));
        QVERIFY(mesh.check().out.contains(
            QStringLiteral("hint: start api there, behind its sidecar: meshd env api-v1-0")));
        boost::asio::io_context io;
        boost::asio::ip::tcp::acceptor listener(io,
                                                {boost::asio::ip::make_address("127.0.0.1"), port});
        QCOMPARE(mesh.status(QStringLiteral("workloads-listening")), QStringLiteral("pass"));
    }

    void aCrashLoopFailsTheCheck()
    {
        const auto port = meshscope::testing::unusedLoopbackAddress().port;
        Mesh mesh(QStringLiteral("  - {name: api, namespace: shop, versions: [{name: v1, replicas: "
                                 "[{port: %1, command: [sh, -c, 'echo boom; exit 3']}]}]}\n")
                      .arg(port));
        QVERIFY(mesh.meshd);
        QTRY_COMPARE_WITH_TIMEOUT(mesh.status(QStringLiteral("crash-loops")),
                                  QStringLiteral("fail"), 10000);
        const auto run = mesh.check();
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.out.contains(QRegularExpression(
                     QStringLiteral("api-v1-0 has restarted \\d+ times \\(last exit status 3\\)"))),
                 qPrintable(run.out));
        QVERIFY(run.out.contains(QStringLiteral("hint: read its output: "))
                && run.out.contains(QStringLiteral("logs/api-v1-0.log")));
        // Fixing the command in the file replaces the process, and the check clears.
        mesh.write(("mesh: {name: shop}\nservices:\n"
                    + QStringLiteral("  - {name: api, namespace: shop, versions: [{name: v1, "
                                     "replicas: [{port: %1, command: [meshd, demo-app]}]}]}\n")
                          .arg(port))
                       .toUtf8());
        QTRY_COMPARE_WITH_TIMEOUT(mesh.status(QStringLiteral("crash-loops")),
                                  QStringLiteral("pass"), 10000);
        QCOMPARE(mesh.check().exitCode, 0);
    }

    void aPortHeldByAnotherProgramFailsUntilFreed()
    {
        // Something else (here: this test) holds the workload's port before meshd starts it.
        boost::asio::io_context io;
        auto squatter = std::make_unique<boost::asio::ip::tcp::acceptor>(
            io, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
        ::fcntl(squatter->native_handle(), F_SETFD,
                FD_CLOEXEC); // meshd, started next, must not hold it too
        const auto port = squatter->local_endpoint().port();
        Mesh mesh(QStringLiteral("  - {name: api, namespace: shop, versions: [{name: v1, replicas: "
                                 "[{port: %1, command: [meshd, demo-app]}]}]}\n")
                      .arg(port));
        QVERIFY(mesh.meshd);
        QTRY_COMPARE_WITH_TIMEOUT(mesh.status(QStringLiteral("ports-in-use")),
                                  QStringLiteral("fail"), 10000);
        QCOMPARE(mesh.status(QStringLiteral("workloads-listening")),
                 QStringLiteral("pass")); // the port answers: the wrong program
        const auto run = mesh.check();
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.out.contains(QStringLiteral("127.0.0.1:%1, the port of api-v1-0, is held by "
                                                 "another program: tst_meshd_check (pid %2)")
                                      .arg(port)
                                      .arg(QCoreApplication::applicationPid())),
                 qPrintable(run.out));
        QVERIFY(run.out.contains(
            QStringLiteral("hint: stop that program, or give api-v1-0 another port")));
        squatter
            .reset(); // the squatter goes: the supervised process gets its port at its next restart
        QTRY_COMPARE_WITH_TIMEOUT(mesh.status(QStringLiteral("ports-in-use")),
                                  QStringLiteral("pass"), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(mesh.status(QStringLiteral("workloads-listening")),
                                  QStringLiteral("pass"), 20000);
    }

    void aProcessWhoseMemoryKeepsGrowingWarnsUntilRestarted()
    {
        // The "phantom resource leak": a workload that keeps 256 KiB per request for good.
        Mesh mesh(QStringLiteral(
            "  - {name: api, namespace: shop, versions: [{name: v1, replicas: [{port: auto, "
            "command: [meshd, demo-app, --name, api, --leak, '262144']}]}]}\n"));
        QVERIFY(mesh.meshd);
        meshscope::testing::ProxyClient client(mesh.local);
        QElapsedTimer timer;
        timer.start();
        bool fired = false;
        while (!fired && timer.elapsed() < 40000) {
            for (int i = 0; i < 10; ++i) { // about 40 requests/s: 10 MiB/s kept
                client.get("http://api.shop/leak");
                QTest::qWait(20);
            }
            fired = mesh.status(QStringLiteral("memory-growth")) == QStringLiteral("warn");
        }
        QVERIFY2(fired, "no warning after 40 s of growth");
        const auto run = mesh.check();
        QVERIFY2(run.out.contains(QRegularExpression(
                     QStringLiteral("api-v1-0 \\(pid \\d+\\) grew from \\d+ MiB to \\d+ MiB in "
                                    "\\S+ \\(\\+[\\d.]+ MiB/min\\) and keeps growing"))),
                 qPrintable(run.out));
        QVERIFY(run.out.contains(QStringLiteral("hint: a leak?")));

        // A restart gives the memory back, and the check clears.
        meshcore::client::AdminClient::Options options;
        options.address = mesh.meshd->adminAddress();
        options.token = *meshcore::admin::readAdminToken(mesh.state.stateDir());
        auto admin = std::move(*meshcore::client::AdminClient::create(options));
        const auto workloads
            = QJsonDocument::fromJson(QByteArray::fromStdString(*admin->get("/api/v1/workloads")))
                  .object();
        const auto process = workloads.value(QStringLiteral("workloads"))
                                 .toArray()
                                 .first()
                                 .toObject()
                                 .value(QStringLiteral("process"))
                                 .toObject();
        QVERIFY(process.value(QStringLiteral("rss_keeps_growing")).toBool());
        QVERIFY(process.value(QStringLiteral("rss_trend_kib_per_min")).toDouble() > 5 * 1024);
        ::kill(process.value(QStringLiteral("pid")).toInt(), SIGKILL);
        QTRY_COMPARE_WITH_TIMEOUT(mesh.status(QStringLiteral("memory-growth")),
                                  QStringLiteral("pass"), 10000);
    }

    void aRefusedConfigOnDiskWarnsUntilFixed()
    {
        HttpBackend api;
        Mesh mesh(QStringLiteral("  - {name: api, namespace: shop, versions: [{name: v1, replicas: "
                                 "[{port: %1}]}]}\n")
                      .arg(api.address().port));
        QVERIFY(mesh.meshd);
        QCOMPARE(mesh.status(QStringLiteral("config-in-force")), QStringLiteral("pass"));
        // meshd watches the file: an invalid one is refused, and the check says why.
        mesh.write(
            mesh.yaml
            + "  - {name: web, namespace: shop, versions: [{name: v1, replicas: [{port: 0x}]}]}\n");
        QTRY_VERIFY_WITH_TIMEOUT(
            mesh.check().out.contains(
                QStringLiteral("on disk was refused, the previous configuration stays in force")),
            5000);
        QCOMPARE(mesh.status(QStringLiteral("config-in-force")), QStringLiteral("warn"));
        QVERIFY2(mesh.check().out.contains(
                     QStringLiteral("mesh.yaml:4:74: 'port' must be a port number")),
                 qPrintable(mesh.check().out));
        mesh.write(mesh.yaml);
        QTRY_COMPARE_WITH_TIMEOUT(mesh.status(QStringLiteral("config-in-force")),
                                  QStringLiteral("pass"), 5000);
    }

    void withoutMeshdOrTokenTheVerbSaysSoInOneSentence()
    {
        TempState state;
        const auto down = runMeshd(
            {QStringLiteral("check"), QStringLiteral("--admin"),
             QString::fromStdString(meshscope::testing::unusedLoopbackAddress().toString()),
             QStringLiteral("--state-dir"), state.stateDirQString()});
        QCOMPARE(down.exitCode, 1);
        QVERIFY2(down.err.contains(QStringLiteral("is meshd running?"))
                     && down.err.count(QLatin1Char('\n')) == 1,
                 qPrintable(down.err));
    }
};

QTEST_GUILESS_MAIN(TestMeshdChecks)
#include "tst_meshd_checks.moc"
