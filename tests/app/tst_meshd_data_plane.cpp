// meshd's sidecars as users meet them: a mesh.yaml with two services run by the user (the test's
// own HTTP servers), requests through the real curl command, mTLS between the proxies.
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
    process.start(QStringLiteral("curl"), {QStringLiteral("-sS"), QStringLiteral("-i"), QStringLiteral("--max-time"),
                                           QStringLiteral("10"), QStringLiteral("-x"), QStringLiteral("http://") + proxy, url});
    process.waitForFinished(15000);
    return {process.exitCode(), QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError())};
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
        auto meshd = MeshdProcess::start(state.stateDirQString(), {QStringLiteral("--config"), config, QStringLiteral("--workers"), QStringLiteral("2")});
        QVERIFY(meshd);
        const auto local = QRegularExpression(QStringLiteral("outbound proxy for local clients on (\\S+)")).match(meshd->output()).captured(1);
        QVERIFY2(!local.isEmpty(), qPrintable(meshd->output()));

        // From the shell, as the users do: curl -x http://127.0.0.1:4140 http://api.shop/
        const auto fromShell = curl(local, QStringLiteral("http://api.shop/hello"));
        QVERIFY2(fromShell.exitCode == 0, qPrintable(fromShell.output));
        QVERIFY2(fromShell.output.startsWith(QStringLiteral("HTTP/1.1 200")), qPrintable(fromShell.output));
        QVERIFY(fromShell.output.contains(QStringLiteral("GET /hello client=spiffe://mesh.local/ns/meshscope-local/sa/local-client")));

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
        QVERIFY2(fromWeb.output.contains(QStringLiteral("GET /items client=spiffe://mesh.local/ns/shop/sa/web")), qPrintable(fromWeb.output));
        QCOMPARE(api.requests(), 2);
        QCOMPARE(web.requests(), 0);

        // A misconfigured destination is named, not silently dropped.
        const auto unknown = curl(local, QStringLiteral("http://apo.shop/"));
        QVERIFY(unknown.output.startsWith(QStringLiteral("HTTP/1.1 503")));
        QVERIFY(unknown.output.contains(QStringLiteral("l5d-proxy-error: unknown service 'apo.shop'")));

        // Both directions show in /metrics with Linkerd's names and labels, and promtool agrees.
        QTest::qWait(200);
        const auto metrics = client->get("/metrics");
        QVERIFY(metrics);
        const QString text = QString::fromStdString(*metrics);
        QVERIFY2(text.contains(QStringLiteral("request_total{authority=\"api\",client_id=\"spiffe://mesh.local/ns/shop/sa/web\",deployment=\"api-v1\",direction=\"inbound\",namespace=\"shop\",pod=\"api-v1-0\",route=\"default\",tls=\"true\"} 1")),
                 qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("dst_deployment=\"api-v1\",dst_namespace=\"shop\",dst_pod=\"api-v1-0\",dst_service=\"api\"")));
        QVERIFY(text.contains(QStringLiteral("status_code=\"503\"")));
        const QString problems = meshscope::testing::promtoolProblems(QByteArray::fromStdString(*metrics));
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
        file.write(QStringLiteral("mesh: {name: shop}\n"
                                  "services:\n"
                                  "  - name: api\n"
                                  "    namespace: shop\n"
                                  "    versions: [{name: v1, replicas: [{port: %1, command: [%3, demo-app, --port, '%1', --name, api]}]}]\n"
                                  "  - name: web\n"
                                  "    namespace: shop\n"
                                  "    versions: [{name: v1, replicas: [{port: %2, command: [%3, demo-app, --port, '%2', --name, web, --call, 'http://api.shop/items']}]}]\n")
                       .arg(apiPort)
                       .arg(webPort)
                       .arg(QStringLiteral(MESHD_PATH))
                       .toUtf8());
        file.close();
        auto meshd = MeshdProcess::start(state.stateDirQString(), {QStringLiteral("--config"), config});
        QVERIFY(meshd);
        const auto local = QRegularExpression(QStringLiteral("outbound proxy for local clients on (\\S+)")).match(meshd->output()).captured(1);

        // The shell calls web; web (a supervised process that only knows http_proxy) calls api.
        Curl answer;
        QTRY_VERIFY_WITH_TIMEOUT((answer = curl(local, QStringLiteral("http://web.shop/"))).output.startsWith(QStringLiteral("HTTP/1.1 200")), 10000);
        const auto json = QJsonDocument::fromJson(answer.output.mid(answer.output.indexOf(QStringLiteral("\r\n\r\n")) + 4).toUtf8()).object();
        QCOMPARE(json.value(QStringLiteral("service")).toString(), QStringLiteral("web"));
        QCOMPARE(json.value(QStringLiteral("client_id")).toString(), QStringLiteral("spiffe://mesh.local/ns/meshscope-local/sa/local-client"));
        const auto call = json.value(QStringLiteral("calls")).toArray().first().toObject();
        QCOMPARE(call.value(QStringLiteral("status")).toInt(), 200);
        const auto downstream = call.value(QStringLiteral("body")).toObject();
        QCOMPARE(downstream.value(QStringLiteral("service")).toString(), QStringLiteral("api"));
        QCOMPARE(downstream.value(QStringLiteral("client_id")).toString(), QStringLiteral("spiffe://mesh.local/ns/shop/sa/web"));

        // A workload that dies is restarted; meshd's shutdown takes the workloads with it.
        meshcore::client::AdminClient::Options options;
        options.address = meshd->adminAddress();
        options.token = *meshcore::admin::readAdminToken(state.stateDir());
        auto client = std::move(*meshcore::client::AdminClient::create(options));
        const auto processOf = [&](const QString &pod) {
            const auto body = client->get("/api/v1/workloads");
            for (const auto &w : QJsonDocument::fromJson(QByteArray::fromStdString(body.value_or("{}"))).object().value(QStringLiteral("workloads")).toArray())
                if (w.toObject().value(QStringLiteral("pod")).toString() == pod)
                    return w.toObject().value(QStringLiteral("process")).toObject();
            return QJsonObject();
        };
        const int firstPid = processOf(QStringLiteral("web-v1-0")).value(QStringLiteral("pid")).toInt();
        QVERIFY(firstPid > 0);
        ::kill(firstPid, SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(processOf(QStringLiteral("web-v1-0")).value(QStringLiteral("restarts")).toInt() == 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(processOf(QStringLiteral("web-v1-0")).value(QStringLiteral("state")).toString(), QStringLiteral("running"), 10000);
        const int secondPid = processOf(QStringLiteral("web-v1-0")).value(QStringLiteral("pid")).toInt();
        QVERIFY(secondPid > 0 && secondPid != firstPid);
        const int apiPid = processOf(QStringLiteral("api-v1-0")).value(QStringLiteral("pid")).toInt();

        // `meshd env` tells a user how to run a workload by hand behind its sidecar.
        const auto env = meshscope::testing::runMeshd({QStringLiteral("env"), QStringLiteral("web"), QStringLiteral("--admin"),
                                                       meshd->adminAddressText(), QStringLiteral("--state-dir"), state.stateDirQString()});
        QCOMPARE(env.exitCode, 0);
        QVERIFY2(env.out.contains(QStringLiteral("export http_proxy=http://127.0.0.1:")), qPrintable(env.out));
        const auto noSuch = meshscope::testing::runMeshd({QStringLiteral("env"), QStringLiteral("wbe"), QStringLiteral("--admin"),
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

    void aTakenOutboundPortStopsMeshdWithAClearError()
    {
        HttpBackend squatter; // something already listens where the outbound proxy should
        TempState state;
        const auto run = meshscope::testing::runMeshd({QStringLiteral("up"), QStringLiteral("--demo"), QStringLiteral("--admin"),
                                                       QStringLiteral("127.0.0.1:0"), QStringLiteral("--outbound"),
                                                       QString::fromStdString(squatter.address().toString()),
                                                       QStringLiteral("--state-dir"), state.stateDirQString()});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("outbound proxy for local clients")) && run.err.contains(QStringLiteral("already in use")),
                 qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestMeshdDataPlane)
#include "tst_meshd_data_plane.moc"
