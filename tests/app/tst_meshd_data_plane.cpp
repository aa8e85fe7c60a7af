// meshd's sidecars as users meet them: a mesh.yaml with two services run by the user (the test's
// own HTTP servers), requests through the real curl command, mTLS between the proxies.
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <csignal>

#include "admin/admin_token.h"
#include "client/admin_client.h"
#include "tests/support/http_backend.h"
#include "tests/support/meshd_process.h"
#include "tests/support/promtool.h"
#include "tests/support/raw_socket.h"
#include "tests/support/temp_state.h"

using meshscope::testing::HttpBackend;
using meshscope::testing::MeshdProcess;
using meshscope::testing::TempState;

namespace {

struct Curl {
    int exitCode = -1;
    QString output; // headers then body
};

Curl curl(const QString &proxy, const QString &url)
{
    QProcess process;
    process.start(QStringLiteral("curl"),
                  {QStringLiteral("-sS"), QStringLiteral("-i"), QStringLiteral("--max-time"),
                   QStringLiteral("10"), QStringLiteral("-x"), QStringLiteral("http://") + proxy,
                   url});
    process.waitForFinished(15000);
    return {process.exitCode(),
            QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError())};
}

// meshd with one service, "api", run by the test (`backend`); returns the local outbound address.
std::unique_ptr<MeshdProcess> meshWithOneService(TempState &state, const HttpBackend &backend,
                                                 QString &local, const QString &extraYaml = {})
{
    const QString config = state.path(QStringLiteral("mesh.yaml"));
    QFile file(config);
    if (!file.open(QIODevice::WriteOnly))
        return nullptr;
    file.write(
        QStringLiteral(
            "mesh: {name: shop}\n"
            "services:\n"
            "  - {name: api, namespace: shop, versions: [{name: v1, replicas: [{port: %1}]}]}\n")
            .arg(backend.address().port)
            .toUtf8()
        + extraYaml.toUtf8());
    file.close();
    auto meshd = MeshdProcess::start(
        state.stateDirQString(),
        {QStringLiteral("--config"), config, QStringLiteral("--workers"), QStringLiteral("2")});
    if (meshd)
        local = QRegularExpression(QStringLiteral("outbound proxy for local clients on (\\S+)"))
                    .match(meshd->output())
                    .captured(1);
    return meshd;
}

// A line of /proc/<pid>/status, in KiB ("VmRSS", "VmHWM").
qint64 statusKib(qint64 pid, const QByteArray &field)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const auto &line : status.readAll().split('\n'))
        if (line.startsWith(field + ':'))
            return line.mid(field.size() + 1).trimmed().split(' ').first().toLongLong();
    return -1;
}

meshcore::Address parseAddress(const QString &text)
{
    const auto colon = text.lastIndexOf(QLatin1Char(':'));
    return {text.left(colon).toStdString(),
            static_cast<std::uint16_t>(text.mid(colon + 1).toUInt())};
}

} // namespace

class TestMeshdDataPlane : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void requestsCrossTheMeshWithTheCallersIdentity()
    {
        HttpBackend api;
        HttpBackend web;
        TempState state;
        const QString config = state.path(QStringLiteral("mesh.yaml"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral("mesh: {name: shop}\n"
                                  "services:\n"
                                  "  - name: api\n"
                                  "    namespace: shop\n"
                                  "    versions: [{name: v1, replicas: [{port: %1}]}]\n"
                                  "  - name: web\n"
                                  "    namespace: shop\n"
                                  "    versions: [{name: v1, replicas: [{port: %2}]}]\n")
                       .arg(api.address().port)
                       .arg(web.address().port)
                       .toUtf8());
        file.close();
        auto meshd = MeshdProcess::start(
            state.stateDirQString(),
            {QStringLiteral("--config"), config, QStringLiteral("--workers"), QStringLiteral("2")});
        QVERIFY(meshd);
        const auto local
            = QRegularExpression(QStringLiteral("outbound proxy for local clients on (\\S+)"))
                  .match(meshd->output())
                  .captured(1);
        QVERIFY2(!local.isEmpty(), qPrintable(meshd->output()));

        // From the shell, as the users do: curl -x http://127.0.0.1:4140 http://api.shop/
        const auto fromShell = curl(local, QStringLiteral("http://api.shop/hello"));
        QVERIFY2(fromShell.exitCode == 0, qPrintable(fromShell.output));
        QVERIFY2(fromShell.output.startsWith(QStringLiteral("HTTP/1.1 200")),
                 qPrintable(fromShell.output));
        QVERIFY(fromShell.output.contains(QStringLiteral(
            "GET /hello client=spiffe://mesh.local/ns/meshscope-local/sa/local-client")));

        // From web's sidecar: api sees web's identity.
        meshcore::client::AdminClient::Options options;
        options.address = meshd->adminAddress();
        options.token = *meshcore::admin::readAdminToken(state.stateDir());
        auto client = std::move(*meshcore::client::AdminClient::create(options));
        const auto body = client->get("/api/v1/workloads");
        QVERIFY2(body, body ? "" : body.error().message.c_str());
        const auto json = QJsonDocument::fromJson(QByteArray::fromStdString(*body)).object();
        QString webOutbound;
        for (const auto &w : json.value(QStringLiteral("workloads")).toArray()) {
            const auto workload = w.toObject();
            QVERIFY(!workload.value(QStringLiteral("certificate_serial")).toString().isEmpty());
            if (workload.value(QStringLiteral("pod")).toString() == QStringLiteral("web-v1-0"))
                webOutbound = workload.value(QStringLiteral("outbound")).toString();
        }
        QVERIFY(!webOutbound.isEmpty());
        const auto fromWeb = curl(webOutbound, QStringLiteral("http://api/items"));
        QVERIFY2(fromWeb.output.contains(
                     QStringLiteral("GET /items client=spiffe://mesh.local/ns/shop/sa/web")),
                 qPrintable(fromWeb.output));
        QCOMPARE(api.requests(), 2);
        QCOMPARE(web.requests(), 0);

        // A misconfigured destination is named, not silently dropped.
        const auto unknown = curl(local, QStringLiteral("http://apo.shop/"));
        QVERIFY(unknown.output.startsWith(QStringLiteral("HTTP/1.1 503")));
        QVERIFY(
            unknown.output.contains(QStringLiteral("l5d-proxy-error: unknown service 'apo.shop'")));

        // Both directions show in /metrics with Linkerd's names and labels, and promtool agrees.
        QTest::qWait(200);
        const auto metrics = client->get("/metrics");
        QVERIFY(metrics);
        const QString text = QString::fromStdString(*metrics);
        QVERIFY2(text.contains(QStringLiteral(
                     "request_total{authority=\"api\",client_id=\"spiffe://mesh.local/ns/shop/sa/"
                     "web\",deployment=\"api-v1\",direction=\"inbound\",namespace=\"shop\",pod="
                     "\"api-v1-0\",route=\"default\",tls=\"true\"} 1")),
                 qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("dst_deployment=\"api-v1\",dst_namespace=\"shop\",dst_"
                                             "pod=\"api-v1-0\",dst_service=\"api\"")));
        QVERIFY(text.contains(QStringLiteral("status_code=\"503\"")));
        const QString problems
            = meshscope::testing::promtoolProblems(QByteArray::fromStdString(*metrics));
        QVERIFY2(problems.isEmpty(), qPrintable(problems));

        QCOMPARE(meshd->stop(SIGTERM), 0);
    }

    void supervisedServicesCallEachOtherThroughTheMesh()
    {
        const auto apiPort = meshscope::testing::unusedLoopbackAddress().port;
        const auto webPort = meshscope::testing::unusedLoopbackAddress().port;
        TempState state;
        const QString config = state.path(QStringLiteral("mesh.yaml"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral(
                       "mesh: {name: shop}\n"
                       "services:\n"
                       "  - name: api\n"
                       "    namespace: shop\n"
                       "    versions: [{name: v1, replicas: [{port: %1, command: [%3, demo-app, "
                       "--port, '%1', --name, api]}]}]\n"
                       "  - name: web\n"
                       "    namespace: shop\n"
                       "    versions: [{name: v1, replicas: [{port: %2, command: [%3, demo-app, "
                       "--port, '%2', --name, web, --call, 'http://api.shop/items']}]}]\n")
                       .arg(apiPort)
                       .arg(webPort)
                       .arg(QStringLiteral(MESHD_PATH))
                       .toUtf8());
        file.close();
        auto meshd
            = MeshdProcess::start(state.stateDirQString(), {QStringLiteral("--config"), config});
        QVERIFY(meshd);
        const auto local
            = QRegularExpression(QStringLiteral("outbound proxy for local clients on (\\S+)"))
                  .match(meshd->output())
                  .captured(1);

        // The shell calls web; web (a supervised process that only knows http_proxy) calls api.
        Curl answer;
        QTRY_VERIFY_WITH_TIMEOUT((answer = curl(local, QStringLiteral("http://web.shop/")))
                                     .output.startsWith(QStringLiteral("HTTP/1.1 200")),
                                 10000);
        const auto json
            = QJsonDocument::fromJson(
                  answer.output.mid(answer.output.indexOf(QStringLiteral("\r\n\r\n")) + 4).toUtf8())
                  .object();
        QCOMPARE(json.value(QStringLiteral("service")).toString(), QStringLiteral("web"));
        QCOMPARE(json.value(QStringLiteral("client_id")).toString(),
                 QStringLiteral("spiffe://mesh.local/ns/meshscope-local/sa/local-client"));
        const auto call = json.value(QStringLiteral("calls")).toArray().first().toObject();
        QCOMPARE(call.value(QStringLiteral("status")).toInt(), 200);
        const auto downstream = call.value(QStringLiteral("body")).toObject();
        QCOMPARE(downstream.value(QStringLiteral("service")).toString(), QStringLiteral("api"));
        QCOMPARE(downstream.value(QStringLiteral("client_id")).toString(),
                 QStringLiteral("spiffe://mesh.local/ns/shop/sa/web"));

        // A workload that dies is restarted; meshd's shutdown takes the workloads with it.
        meshcore::client::AdminClient::Options options;
        options.address = meshd->adminAddress();
        options.token = *meshcore::admin::readAdminToken(state.stateDir());
        auto client = std::move(*meshcore::client::AdminClient::create(options));
        const auto processOf = [&](const QString &pod) {
            const auto body = client->get("/api/v1/workloads");
            for (const auto &w :
                 QJsonDocument::fromJson(QByteArray::fromStdString(body.value_or("{}")))
                     .object()
                     .value(QStringLiteral("workloads"))
                     .toArray())
                if (w.toObject().value(QStringLiteral("pod")).toString() == pod)
                    return w.toObject().value(QStringLiteral("process")).toObject();
            return QJsonObject();
        };
        const int firstPid
            = processOf(QStringLiteral("web-v1-0")).value(QStringLiteral("pid")).toInt();
        QVERIFY(firstPid > 0);
        ::kill(firstPid, SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(
            processOf(QStringLiteral("web-v1-0")).value(QStringLiteral("restarts")).toInt() == 1,
            10000);
        QTRY_COMPARE_WITH_TIMEOUT(
            processOf(QStringLiteral("web-v1-0")).value(QStringLiteral("state")).toString(),
            QStringLiteral("running"), 10000);
        const int secondPid
            = processOf(QStringLiteral("web-v1-0")).value(QStringLiteral("pid")).toInt();
        QTRY_VERIFY_WITH_TIMEOUT(
            QString::fromStdString(client->get("/api/v1/events").value_or(""))
                .contains(QStringLiteral(
                    "web-v1-0 exited (status 137) and was restarted (1 restart so far)")),
            3000);
        QVERIFY(secondPid > 0 && secondPid != firstPid);
        const int apiPid
            = processOf(QStringLiteral("api-v1-0")).value(QStringLiteral("pid")).toInt();

        // `meshd env` tells a user how to run a workload by hand behind its sidecar.
        const auto env = meshscope::testing::runMeshd(
            {QStringLiteral("env"), QStringLiteral("web"), QStringLiteral("--admin"),
             meshd->adminAddressText(), QStringLiteral("--state-dir"), state.stateDirQString()});
        QCOMPARE(env.exitCode, 0);
        QVERIFY2(env.out.contains(QStringLiteral("export http_proxy=http://127.0.0.1:")),
                 qPrintable(env.out));
        const auto noSuch = meshscope::testing::runMeshd(
            {QStringLiteral("env"), QStringLiteral("wbe"), QStringLiteral("--admin"),
             meshd->adminAddressText(), QStringLiteral("--state-dir"), state.stateDirQString()});
        QCOMPARE(noSuch.exitCode, 1);
        QVERIFY(noSuch.err.contains(QStringLiteral("web-v1-0")));

        QCOMPARE(meshd->stop(SIGTERM), 0);
        QVERIFY(::kill(secondPid, 0) != 0);
        QVERIFY(::kill(apiPid, 0) != 0);
        QFile log(state.stateDirQString() + QStringLiteral("/logs/web-v1-0.log"));
        QVERIFY(log.open(QIODevice::ReadOnly));
        QVERIFY(log.readAll().contains("demo-app web listening"));
    }

    void aGigabyteUploadStreamsThroughWithoutGrowingMeshd()
    {
        HttpBackend api;
        TempState state;
        QString local;
#if defined(__SANITIZE_ADDRESS__)
        // AddressSanitizer keeps freed memory in quarantine (256 MiB): keep it small so the peak
        // measures what meshd holds, not what it has freed.
        const QByteArray asanOptions = qgetenv("ASAN_OPTIONS");
        qputenv("ASAN_OPTIONS",
                asanOptions + (asanOptions.isEmpty() ? "" : ":") + "quarantine_size_mb=1");
        auto meshd = meshWithOneService(state, api, local);
        qputenv("ASAN_OPTIONS", asanOptions);
#else
        auto meshd = meshWithOneService(state, api, local);
#endif
        QVERIFY(meshd);
        QVERIFY(curl(local, QStringLiteral("http://api.shop/warm-up"))
                    .output.startsWith(QStringLiteral("HTTP/1.1 200")));
        const qint64 peakBefore = statusKib(meshd->pid(), "VmHWM");
        QVERIFY(peakBefore > 0);

        meshscope::testing::RawSocket client(parseAddress(local));
        QVERIFY(client.connected());
        const std::uint64_t size = 1ull << 30;
        QVERIFY(
            client.send("POST http://api.shop/upload HTTP/1.1\r\nHost: api.shop\r\nContent-Length: "
                        + std::to_string(size) + "\r\n\r\n"));
        const std::string block(1 << 20, 'u');
        for (std::uint64_t sent = 0; sent < size; sent += block.size())
            QVERIFY(client.send(block));
        const auto response
            = client.readUntil("body=" + std::to_string(size), std::chrono::seconds(60));
        QVERIFY2(response.starts_with("HTTP/1.1 200"), response.c_str());
        QVERIFY2(
            response.find(
                "POST /upload client=spiffe://mesh.local/ns/meshscope-local/sa/local-client body="
                + std::to_string(size))
                != std::string::npos,
            response.c_str());

        // Through two proxies and two TLS ends, the body only ever occupied fixed-size buffers:
        // meshd's peak resident memory grew by far less than the 1 GiB that went through.
        const qint64 growthKib = statusKib(meshd->pid(), "VmHWM") - peakBefore;
        qInfo("meshd peak RSS %lld KiB before, grew by %lld KiB for a 1 GiB upload", peakBefore,
              growthKib);
        QVERIFY2(growthKib < 32 * 1024, qPrintable(QString::number(growthKib)));
        QCOMPARE(meshd->stop(SIGTERM), 0);
    }

    void shutdownLetsTheRequestInFlightFinish()
    {
        HttpBackend api;
        TempState state;
        QString local;
        auto meshd = meshWithOneService(state, api, local);
        QVERIFY(meshd);
        meshscope::testing::RawSocket client(parseAddress(local));
        QVERIFY(client.send("GET http://api.shop/slow/800 HTTP/1.1\r\nHost: api.shop\r\n\r\n"));
        QTRY_COMPARE_WITH_TIMEOUT(api.requests(), 1, 5000); // it reached the workload
        ::kill(static_cast<pid_t>(meshd->pid()), SIGTERM);
        // The answer still comes, and says the connection ends with it.
        bool closed = false;
        const auto response = client.readUntil("", std::chrono::seconds(5), &closed);
        QVERIFY2(response.starts_with("HTTP/1.1 200"), response.c_str());
        QVERIFY2(response.find("Connection: close") != std::string::npos, response.c_str());
        QVERIFY(response.find("GET /slow/800") != std::string::npos);
        QVERIFY(closed);
        QVERIFY(meshd->process().waitForFinished(10000));
        QCOMPARE(meshd->process().exitCode(), 0);
    }

    void aSecondSignalDuringTheDrainIsCaughtNotFatal()
    {
        // A second Ctrl+C, a kill or a closed terminal (SIGHUP) while meshd drains must not end
        // it on the signal's default action: the request in flight still finishes and meshd
        // stops as it does after one signal.
        HttpBackend api;
        TempState state;
        QString local;
        auto meshd = meshWithOneService(state, api, local);
        QVERIFY(meshd);
        meshscope::testing::RawSocket client(parseAddress(local));
        QVERIFY(client.send("GET http://api.shop/slow/1500 HTTP/1.1\r\nHost: api.shop\r\n\r\n"));
        QTRY_COMPARE_WITH_TIMEOUT(api.requests(), 1, 5000);
        const auto pid = static_cast<pid_t>(meshd->pid());
        ::kill(pid, SIGTERM);
        QTest::qWait(300); // the drain waits for the request, which needs 1.5 s
        ::kill(pid, SIGTERM);
        ::kill(pid, SIGHUP);
        ::kill(pid, SIGINT);
        bool closed = false;
        const auto response = client.readUntil("", std::chrono::seconds(5), &closed);
        QVERIFY2(response.starts_with("HTTP/1.1 200"), response.c_str());
        QVERIFY(meshd->process().waitForFinished(10000));
        QCOMPARE(meshd->process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(meshd->process().exitCode(), 0);
        const QString output = meshd->output() + QString::fromUtf8(meshd->process().readAll());
        QVERIFY2(output.contains(QStringLiteral("meshd: stopped")), qPrintable(output));
    }

    void certificatesRenewWithoutDroppingConnections()
    {
        // Workload certificates of 14 s: the sidecars renew theirs after 10 s (70 %).
        HttpBackend api;
        TempState state;
        QString local;
        auto meshd = meshWithOneService(
            state, api, local,
            QStringLiteral("identity: {workload_lifetime: 14s, clock_skew: 1s}\n"));
        QVERIFY(meshd);
        meshcore::client::AdminClient::Options options;
        options.address = meshd->adminAddress();
        options.token = *meshcore::admin::readAdminToken(state.stateDir());
        auto admin = std::move(*meshcore::client::AdminClient::create(options));
        const auto serial = [&] {
            const auto body = admin->get("/api/v1/workloads");
            const auto workloads
                = QJsonDocument::fromJson(QByteArray::fromStdString(body.value_or("{}")))
                      .object()
                      .value(QStringLiteral("workloads"))
                      .toArray();
            return workloads.isEmpty() ? QString()
                                       : workloads.first()
                                             .toObject()
                                             .value(QStringLiteral("certificate_serial"))
                                             .toString();
        };
        const QString first = serial();
        QVERIFY(!first.isEmpty());

        // One keep-alive connection asks every 250 ms, across the renewal.
        meshscope::testing::RawSocket client(parseAddress(local));
        QElapsedTimer timer;
        timer.start();
        int answered = 0;
        while (timer.elapsed() < 12500) {
            const std::string path = "/tick" + std::to_string(answered);
            QVERIFY(
                client.send("GET http://api.shop" + path + " HTTP/1.1\r\nHost: api.shop\r\n\r\n"));
            bool closed = false;
            const auto response
                = client.readUntil(path + " client=", std::chrono::seconds(5), &closed);
            QVERIFY2(response.starts_with("HTTP/1.1 200") && !closed, response.c_str());
            ++answered;
            QTest::qWait(250);
        }
        QVERIFY(serial() != first); // renewed...
        QCOMPARE(api.connections(), 1); // ...and not one request failed or reconnected
        QCOMPARE(api.requests(), answered);
        // New connections are served with the new certificate.
        QVERIFY(curl(local, QStringLiteral("http://api.shop/new"))
                    .output.startsWith(QStringLiteral("HTTP/1.1 200")));
        QCOMPARE(meshd->stop(SIGTERM), 0);
    }

    void aTakenOutboundPortStopsMeshdWithAClearError()
    {
        HttpBackend squatter; // something already listens where the outbound proxy should
        TempState state;
        const auto run = meshscope::testing::runMeshd(
            {QStringLiteral("up"), QStringLiteral("--demo"), QStringLiteral("--admin"),
             QStringLiteral("127.0.0.1:0"), QStringLiteral("--outbound"),
             QString::fromStdString(squatter.address().toString()), QStringLiteral("--state-dir"),
             state.stateDirQString()});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("outbound proxy for local clients"))
                     && run.err.contains(QStringLiteral("already in use")),
                 qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestMeshdDataPlane)
#include "tst_meshd_data_plane.moc"
