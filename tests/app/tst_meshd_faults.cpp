// Runtime faults per version as users meet them: a real meshd, a service with two versions whose
// replicas are our plain test backends (not the demo-app), a fault set on the candidate through
// the CLI or the API, and requests through the outbound proxy for local clients (curl and
// ProxyClient). Only the broken version's requests fail, with its status and header, and never
// reach its workload; the callers' metrics and breakers see real failures; clearing restores;
// a bad change changes nothing; a reload keeps the fault for the version's new replicas and
// clears it with a removed version.
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
#include "tests/support/http_backend.h"
#include "tests/support/meshd_process.h"
#include "tests/support/proxy_client.h"
#include "tests/support/test_mesh.h"

using meshscope::testing::HttpBackend;
using meshscope::testing::ProxyClient;
using meshscope::testing::replicas;
using Mesh = meshscope::testing::TestMesh;
using namespace std::chrono_literals;
namespace http = boost::beast::http;

namespace {

constexpr const char *V2Fault = "fault injected (version v2 of api.shop)";

// api.shop with v1 and v2 at 50/50; `extra` adds service settings (a line each, indented 4).
QString twoVersions(const HttpBackend &v1, const QString &v2Replicas, const QString &extra = {})
{
    return QStringLiteral("  - name: api\n"
                          "    namespace: shop\n"
                          "    versions: [{name: v1, replicas: %1}, {name: v2, replicas: %2}]\n"
                          "    split: [{version: v1, weight: 50}, {version: v2, weight: 50}]\n")
               .arg(replicas({&v1}), v2Replicas)
        + extra;
}

// A breaker that never trips: the fault itself is under test, not the breaker's reaction.
const QString NoBreaker = QStringLiteral("    failure_accrual: {consecutive_failures: 1000000}\n");

// `meshd ARGS --admin ... --state-dir ...` against the mesh's meshd.
meshscope::testing::MeshdRun cli(const Mesh &mesh, QStringList args)
{
    args << QStringLiteral("--admin") << mesh.meshd->adminAddressText()
         << QStringLiteral("--state-dir") << mesh.state.stateDirQString();
    return meshscope::testing::runMeshd(args);
}

// curl -i through the local outbound proxy: status line, headers and body.
QString curl(const Mesh &mesh, const QStringList &extra, const QString &url)
{
    QProcess process;
    process.start(
        QStringLiteral("curl"),
        QStringList {QStringLiteral("-sS"), QStringLiteral("-i"), QStringLiteral("--max-time"),
                     QStringLiteral("10"), QStringLiteral("-x"),
                     QStringLiteral("http://%1").arg(QString::fromStdString(mesh.local.toString()))}
            + extra + QStringList {url});
    process.waitForFinished(15000);
    return QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
}

QString faultsJson(const Mesh &mesh)
{
    return QString::fromStdString(mesh.admin->get("/api/v1/faults").value_or("unreachable"));
}

struct Tally {
    int ok = 0; // 200, from v1
    int faulted = 0; // the fault's status with its header
    int other = 0;
};

// `count` requests, GETs and small POSTs in turn, on one keep-alive connection.
Tally send(const Mesh &mesh, int count, unsigned faultStatus)
{
    ProxyClient client(mesh.local);
    Tally tally;
    for (int i = 0; i < count; ++i) {
        const auto response = i % 2
            ? client.send(http::verb::post, "http://api.shop/orders", std::string(1024, 'x'))
            : client.get("http://api.shop/items/" + std::to_string(i));
        if (response.result_int() == 200)
            ++tally.ok;
        else if (response.result_int() == faultStatus && response["l5d-proxy-error"] == V2Fault)
            ++tally.faulted;
        else
            ++tally.other;
    }
    return tally;
}

} // namespace

class TestMeshdFaults : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void anAbortOnTheCandidateFailsOnlyItsRequests();
    void aDelayAddsItsDelayToTheCandidateOnly();
    void aBadChangeChangesNothing();
    void breakersAndReloadsSeeTheFault();
};

void TestMeshdFaults::anAbortOnTheCandidateFailsOnlyItsRequests()
{
    HttpBackend v1;
    HttpBackend v2;
    Mesh mesh(twoVersions(v1, replicas({&v2}), NoBreaker));
    QVERIFY(mesh.meshd);
    const auto set = cli(mesh, {"fault", "set", "api.shop", "v2", "--abort", "100:500"});
    QVERIFY2(set.exitCode == 0, qPrintable(set.err));
    QVERIFY2(set.out.contains(QRegularExpression("api\\.shop\\s+v2\\s+100% 500\\s+-")),
             qPrintable(set.out));

    const auto tally = send(mesh, 400, 500);
    qInfo("%d of 400 answered by v1, %d aborted on v2", tally.ok, tally.faulted);
    QCOMPARE(tally.other, 0);
    QVERIFY2(tally.faulted >= 140 && tally.faulted <= 260,
             qPrintable(QString::number(tally.faulted)));
    QCOMPARE(v2.requests(), 0); // nothing reached the broken version's workload
    QCOMPARE(v1.requests(), tally.ok);
    // The inbound counts it, and to the callers it is the version answering 500.
    const double faulted = tally.faulted;
    QCOMPARE(
        mesh.sample({"inbound_http_fault_injections_total{", "pod=\"api-v2-0\"", "kind=\"abort\""}),
        faulted);
    QCOMPARE(mesh.sample({"response_total{", "direction=\"inbound\"", "pod=\"api-v2-0\"",
                          "status_code=\"500\""}),
             faulted);
    QCOMPARE(mesh.sample({"response_total{", "direction=\"outbound\"", "dst_pod=\"api-v2-0\"",
                          "status_code=\"500\""}),
             faulted);
    // The bodies were read and dropped: the callers' connections to v2 stayed open (at most one
    // per worker of the outbound proxy, two here).
    const double opened
        = mesh.sample({"tcp_open_total{", "direction=\"inbound\"", "pod=\"api-v2-0\""});
    QVERIFY2(opened >= 1 && opened <= 2, qPrintable(QString::number(opened)));

    // curl sees the fault as a caller does.
    QString seen;
    for (int i = 0; i < 40 && !seen.contains("HTTP/1.1 500"); ++i)
        seen = curl(mesh, {"--data-binary", "order=1"}, "http://api.shop/orders");
    QVERIFY2(seen.contains("l5d-proxy-error: " + QString(V2Fault)), qPrintable(seen));
    // HEAD answers have no body: the kept connections to v2 must not carry one into the next
    // answer. curl sends HEADs and GETs in turn, half of them landing on v2.
    QStringList turns;
    for (int i = 0; i < 12; ++i)
        turns << (i ? QStringList {"--next"} : QStringList {})
                + QStringList {"-s",
                               "-o",
                               "/dev/null",
                               "-w",
                               "%{http_code}\n",
                               "-x",
                               QString::fromStdString("http://" + mesh.local.toString())}
                + (i % 4 < 2 ? QStringList {"-I"} : QStringList {})
                + QStringList {"http://api.shop/head-or-get"};
    QProcess headsAndGets;
    headsAndGets.start("curl", turns);
    QVERIFY(headsAndGets.waitForFinished(15000));
    const auto statuses = QString::fromUtf8(headsAndGets.readAllStandardOutput()).split('\n');
    QCOMPARE(statuses.count("200") + statuses.count("500"), 12);
    QVERIFY(statuses.count("500") > 0);

    const auto cleared = cli(mesh, {"fault", "clear", "api.shop", "v2"});
    QCOMPARE(cleared.exitCode, 0);
    QCOMPARE(cleared.out, QStringLiteral("fault on v2 of api.shop cleared\n"));
    const auto after = send(mesh, 100, 500);
    QCOMPARE(after.ok, 100);
    QVERIFY(v2.requests() > 10);
    QCOMPARE(cli(mesh, {"fault", "list"}).out, QStringLiteral("no version has a fault\n"));
    const auto events = cli(mesh, {"events"});
    QVERIFY2(events.out.contains(QRegularExpression(
                 "fault\\s+api\\.shop\\s+fault on v2 of api\\.shop set to abort 100% with 500")),
             qPrintable(events.out));
    QVERIFY(events.out.contains("fault on v2 of api.shop cleared through the admin API"));
    QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    QVERIFY(mesh.meshd->output().contains(
        "fault on v2 of api.shop set to abort 100% with 500 through the admin API"));
}

void TestMeshdFaults::aDelayAddsItsDelayToTheCandidateOnly()
{
    HttpBackend v1;
    HttpBackend v2;
    Mesh mesh(twoVersions(v1, replicas({&v2}), NoBreaker));
    QVERIFY(mesh.meshd);
    meshcore::admin::FaultSpec delay;
    delay.delayPercent = 100;
    delay.delayMs = 800; // far above a loaded CI machine's slowest fast request
    const auto set = mesh.admin->setFault("api", "v2", delay);
    QVERIFY2(set, set ? "" : set.error().message.c_str());
    QCOMPARE(set->ns, std::string("shop"));

    ProxyClient client(mesh.local);
    int delayed = 0;
    int fast = 0;
    for (int i = 0; i < 20; ++i) {
        const int before = v2.requests();
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(client.get("http://api.shop/items").result_int(), 200u);
        const auto ms = timer.elapsed();
        if (v2.requests() > before) {
            QVERIFY2(ms >= 800, qPrintable(QString::number(ms))); // then answered by v2 itself
            ++delayed;
        } else {
            QVERIFY2(ms < 800, qPrintable(QString::number(ms)));
            ++fast;
        }
    }
    qInfo("%d requests delayed on v2, %d fast on v1", delayed, fast);
    QVERIFY(delayed > 0 && fast > 0);
    QCOMPARE(
        mesh.sample({"inbound_http_fault_injections_total{", "pod=\"api-v2-0\"", "kind=\"delay\""}),
        double(delayed));

    QVERIFY(mesh.admin->clearFault("api.shop", "v2"));
    for (int i = 0; i < 20; ++i) {
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(client.get("http://api.shop/items").result_int(), 200u);
        QVERIFY(timer.elapsed() < 800);
    }
    QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
}

void TestMeshdFaults::aBadChangeChangesNothing()
{
    HttpBackend v1;
    HttpBackend v2;
    Mesh mesh(twoVersions(v1, replicas({&v2}), NoBreaker));
    QVERIFY(mesh.meshd);
    QVERIFY(mesh.admin->put("/api/v1/faults?service=api&version=v2",
                            R"({"abort_percent": 100, "abort_status": 503})"));
    const QString before = faultsJson(mesh);
    QVERIFY2(before.contains("\"version\":\"v2\""), qPrintable(before));

    const auto refused
        = [&](const std::string &target, const std::string &body, const QString &message) {
              const auto answer = mesh.admin->put(target, body);
              QVERIFY(!answer);
              QVERIFY2(QString::fromStdString(answer.error().message).contains(message),
                       answer.error().message.c_str());
              QCOMPARE(faultsJson(mesh), before);
          };
    const std::string v2Target = "/api/v1/faults?service=api.shop&version=v2";
    refused(v2Target, "{\"abort_percent\": 0}", "nothing to inject");
    refused(v2Target, R"({"abort_percent": 50, "abort_status": 700})", "abort_status must be");
    refused(v2Target, R"({"abort_percent": "all"})", "\"abort_percent\" must be a number");
    refused(v2Target, R"({"abort": 100})", "unknown field \"abort\"");
    refused(v2Target, "abort everything", "the body must be JSON");
    refused("/api/v1/faults?service=api.shop&version=v3", R"({"abort_percent": 100})",
            "service 'api.shop' has no version 'v3' (it has: v1, v2)");
    refused("/api/v1/faults?service=catalog&version=v1", R"({"abort_percent": 100})",
            "no service 'catalog' in this mesh (services: api.shop)");
    QVERIFY(!mesh.admin->remove("/api/v1/faults?service=api.shop&version=v3"));
    QCOMPARE(faultsJson(mesh), before);

    // As curl sees them: 400 and 404, with the error in the API's shape.
    const auto token
        = QString::fromStdString(*meshcore::admin::readAdminToken(mesh.state.stateDir()));
    QProcess process;
    process.start(
        "curl",
        {"-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "PUT", "-H",
         "Authorization: Bearer " + token, "--data", "{\"delay_ms\": -5}",
         "http://" + mesh.meshd->adminAddressText() + "/api/v1/faults?service=api&version=v2"});
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.readAllStandardOutput(), QByteArray("400"));
    const auto cliRefused = cli(mesh, {"fault", "set", "api.shop", "v3", "--abort", "100"});
    QCOMPARE(cliRefused.exitCode, 1);
    QVERIFY2(cliRefused.err.contains("has no version 'v3' (it has: v1, v2)"),
             qPrintable(cliRefused.err));
    QCOMPARE(faultsJson(mesh), before);
    // And the fault in force still holds.
    const auto tally = send(mesh, 40, 503);
    QVERIFY(tally.faulted > 0);
    QCOMPARE(tally.other, 0);
    QCOMPARE(v2.requests(), 0);
    QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
}

void TestMeshdFaults::breakersAndReloadsSeeTheFault()
{
    HttpBackend v1;
    HttpBackend v2;
    HttpBackend v2b;
    Mesh mesh(twoVersions(v1, replicas({&v2})));
    QVERIFY(mesh.meshd);
    QVERIFY(mesh.admin->put("/api/v1/faults?service=api&version=v2", R"({"abort_percent": 100})"));
    // The callers' breaker takes the broken replica out, as it would a really failing one.
    const auto tally = send(mesh, 100, 503);
    QCOMPARE(tally.other, 0);
    QVERIFY(tally.faulted >= 7);
    QVERIFY(mesh.sample({"meshscope_balancer_endpoint_ejections_total{", "dst_pod=\"api-v2-0\""})
            >= 1);

    // A reload adds a replica to v2: it gets the fault in force too.
    QFile file(mesh.configFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(Mesh::configFor(twoVersions(v1, replicas({&v2, &v2b}))).toUtf8());
    file.close();
    QVERIFY(mesh.admin->reload());
    QTRY_VERIFY_WITH_TIMEOUT(
        send(mesh, 20, 503).other == 0
            && mesh.sample({"inbound_http_fault_injections_total{", "pod=\"api-v2-1\""}) > 0,
        10000);
    QCOMPARE(v2b.requests(), 0);
    QCOMPARE(v2.requests(), 0);
    QVERIFY(faultsJson(mesh).contains("\"version\":\"v2\""));

    // A reload that removes v2 takes its fault with it.
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(Mesh::configFor(QStringLiteral("  - {name: api, namespace: shop, versions: [{name: "
                                              "v1, replicas: %1}]}\n")
                                   .arg(replicas({&v1})))
                   .toUtf8());
    file.close();
    const auto reloaded = mesh.admin->reload();
    QVERIFY(reloaded);
    QVERIFY2(reloaded->summary.find("faults cleared: v2 of api.shop") != std::string::npos,
             reloaded->summary.c_str());
    QCOMPARE(faultsJson(mesh).trimmed(), QStringLiteral("{\"faults\":[]}"));
    QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
}

QTEST_GUILESS_MAIN(TestMeshdFaults)
#include "tst_meshd_faults.moc"
