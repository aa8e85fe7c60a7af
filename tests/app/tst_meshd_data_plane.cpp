// meshd's sidecars as users meet them: a mesh.yaml with two services run by the user (the test's
// own HTTP servers), requests through the real curl command, mTLS between the proxies.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include "admin/admin_token.h"
#include "client/admin_client.h"
#include "tests/support/http_backend.h"
#include "tests/support/meshd_process.h"
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

        QCOMPARE(meshd->stop(SIGTERM), 0);
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
