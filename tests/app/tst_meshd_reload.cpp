// Hot reload as users meet it: a real meshd under steady load from three clients while its
// configuration file changes (through `meshd reload`, the file watch and SIGHUP), with valid and
// invalid files. No request may fail.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <atomic>
#include <csignal>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "tests/support/http_backend.h"
#include "tests/support/meshd_process.h"
#include "tests/support/proxy_client.h"
#include "tests/support/temp_state.h"
#include "tests/support/test_mesh.h"

using meshscope::testing::HttpBackend;
using meshscope::testing::ProxyClient;
using meshscope::testing::replicas;
using meshscope::testing::TestMesh;

namespace {

// Clients sending requests through the mesh on their own threads until stopped, counting
// what failed and how.
class Load {
public:
    Load(const meshcore::Address &proxy, const std::vector<std::string> &urls)
    {
        for (std::size_t i = 0; i < urls.size(); ++i)
            m_threads.emplace_back([this, proxy, url = urls[i]] {
                ProxyClient client(proxy);
                while (!m_stop) {
                    const auto response = client.get(url);
                    ++m_sent;
                    if (response.result_int() != 200) {
                        const std::lock_guard lock(m_mutex);
                        m_failures.push_back(
                            url + ": " + std::to_string(response.result_int()) + " "
                            + std::string(response[boost::beast::http::field::server]) + " "
                            + std::string(response["l5d-proxy-error"]) + " " + response.body());
                    }
                }
            });
    }
    ~Load() { stop(); }
    void stop()
    {
        m_stop = true;
        for (auto &thread : m_threads)
            if (thread.joinable())
                thread.join();
    }
    int sent() const { return m_sent; }
    QStringList failures() const
    {
        const std::lock_guard lock(m_mutex);
        QStringList out;
        for (const auto &f : m_failures)
            out << QString::fromStdString(f);
        return out;
    }

private:
    std::vector<std::thread> m_threads;
    std::atomic<bool> m_stop {false};
    std::atomic<int> m_sent {0};
    mutable std::mutex m_mutex;
    std::vector<std::string> m_failures;
};

void writeFile(const QString &path, const QString &text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text.toUtf8());
}

QJsonArray events(const TestMesh &mesh)
{
    return QJsonDocument::fromJson(
               QByteArray::fromStdString(mesh.admin->get("/api/v1/events").value_or("{}")))
        .object()
        .value(QStringLiteral("events"))
        .toArray();
}

int reloadEvents(const TestMesh &mesh, const QString &containing)
{
    int count = 0;
    for (const auto &e : events(mesh))
        if (e.toObject().value(QStringLiteral("kind")).toString() == QStringLiteral("reload")
            && e.toObject().value(QStringLiteral("message")).toString().contains(containing))
            ++count;
    return count;
}

QJsonObject split(const TestMesh &mesh, const char *service)
{
    return QJsonDocument::fromJson(
               QByteArray::fromStdString(
                   mesh.admin->get(std::string("/api/v1/split?service=") + service).value_or("{}")))
        .object();
}

} // namespace

class TestMeshdReload : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void validChangesApplyUnderLoadWithoutAFailedRequest()
    {
        HttpBackend a0;
        HttpBackend a1;
        HttpBackend b0;
        HttpBackend web;
        const QString api = QStringLiteral("  - name: api\n"
                                           "    namespace: shop\n"
                                           "    versions: [{name: v1, replicas: %1}%2]\n"
                                           "%3");
        TestMesh mesh(api.arg(replicas({&a0, &a1}), QString(), QString()));
        QVERIFY(mesh.meshd);
        Load load(mesh.local,
                  {"http://api.shop/load/1", "http://api.shop/load/2", "http://api.shop/slow/20"});
        QTest::qWait(500);

        // 1. Through the API (`meshd reload`): a route with a timeout, and a new service.
        writeFile(
            mesh.configFile,
            TestMesh::configFor(
                api.arg(replicas({&a0, &a1}), QString(),
                        QStringLiteral(
                            "    routes: [{name: slow, path_prefix: /slow, timeout: 400ms}]\n"))
                + QStringLiteral(
                      "  - {name: web, namespace: shop, versions: [{name: v1, replicas: %1}]}\n")
                      .arg(replicas({&web}))));
        const auto reloaded = meshscope::testing::runMeshd(
            {QStringLiteral("reload"), QStringLiteral("--json"), QStringLiteral("--admin"),
             mesh.meshd->adminAddressText(), QStringLiteral("--state-dir"),
             mesh.state.stateDirQString()});
        QCOMPARE(reloaded.exitCode, 0);
        const auto report = QJsonDocument::fromJson(reloaded.out.toUtf8()).object();
        QCOMPARE(report.value(QStringLiteral("services_added")).toArray(),
                 QJsonArray({QStringLiteral("web.shop")}));
        QCOMPARE(report.value(QStringLiteral("services_changed")).toArray(),
                 QJsonArray({QStringLiteral("api.shop")}));
        QCOMPARE(report.value(QStringLiteral("workloads_started")).toArray(),
                 QJsonArray({QStringLiteral("web-v1-0")}));
        ProxyClient client(mesh.local);
        QTRY_COMPARE_WITH_TIMEOUT(client.get("http://web.shop/hello").result_int(), 200u, 5000);
        // The new timeout is in force for the next request.
        const auto slow = client.get("http://api.shop/slow/1500");
        QCOMPARE(slow.result_int(), 504u);
        QVERIFY(std::string(slow["l5d-proxy-error"]).find("400ms (route slow of api.shop)")
                != std::string::npos);

        // 2. By the file watch: one replica goes, a second version comes with half the traffic.
        const int a1Before = a1.requests();
        writeFile(
            mesh.configFile,
            TestMesh::configFor(
                api.arg(replicas({&a0}),
                        QStringLiteral(", {name: v2, replicas: %1}").arg(replicas({&b0})),
                        QStringLiteral(
                            "    split: [{version: v1, weight: 50}, {version: v2, weight: 50}]\n"))
                + QStringLiteral(
                      "  - {name: web, namespace: shop, versions: [{name: v1, replicas: %1}]}\n")
                      .arg(replicas({&web}))));
        QTRY_COMPARE_WITH_TIMEOUT(reloadEvents(mesh, QStringLiteral("(file change)")), 1, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(b0.requests() > 50, 10000); // v2 gets its share once it is ready
        QTest::qWait(500); // what a1 still had in flight is done
        const int a1After = a1.requests();
        QTest::qWait(1000);
        QCOMPARE(a1.requests(), a1After); // out of the balancer
        QVERIFY(a1After >= a1Before);
        const auto weights = split(mesh, "api").value(QStringLiteral("backends")).toArray();
        QCOMPARE(weights.size(), 2);
        QCOMPARE(weights.at(1).toObject().value(QStringLiteral("weight")).toInt(), 50);

        // 3. A split set through the API outlives a reload that leaves the file's split alone...
        QVERIFY(mesh.admin->put(
            "/api/v1/split?service=api",
            R"({"backends": [{"version": "v1", "weight": 80}, {"version": "v2", "weight": 20}]})"));
        ::kill(static_cast<pid_t>(mesh.meshd->pid()),
               SIGHUP); // ...here by SIGHUP, the file unchanged
        QTRY_COMPARE_WITH_TIMEOUT(reloadEvents(mesh, QStringLiteral("(SIGHUP)")), 1, 5000);
        QCOMPARE(split(mesh, "api")
                     .value(QStringLiteral("backends"))
                     .toArray()
                     .at(1)
                     .toObject()
                     .value(QStringLiteral("weight"))
                     .toInt(),
                 20);

        QTest::qWait(500);
        load.stop();
        qInfo("%d requests while reloading three times", load.sent());
        QVERIFY(load.sent() > 300);
        QVERIFY2(load.failures().isEmpty(), qPrintable(load.failures().join(QLatin1Char('\n'))));
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }

    void invalidConfigsAreRefusedAndTheMeshKeepsGoing()
    {
        HttpBackend a0;
        const QString good = QStringLiteral("  - name: api\n"
                                            "    namespace: shop\n"
                                            "    versions: [{name: v1, replicas: %1}]\n")
                                 .arg(replicas({&a0}));
        TestMesh mesh(good);
        QVERIFY(mesh.meshd);
        Load load(mesh.local, {"http://api.shop/a", "http://api.shop/b", "http://api.shop/c"});
        QTest::qWait(300);

        struct Case {
            QString yaml;
            QString error;
        };
        const QList<Case> cases = {
            {TestMesh::configFor(good
                                 + QStringLiteral("  - {name: web, namespace: shop, versions: "
                                                  "[{name: v1, replicas: [{port: 0x}]}]}\n")),
             QStringLiteral("mesh.yaml:6:74: 'port' must be a port number")},
            {TestMesh::configFor(good + QStringLiteral("    split: [{version: v9, weight: 1}]\n")),
             QStringLiteral("mesh.yaml:6:")},
            {TestMesh::configFor(good) + QStringLiteral("  - name: [broken\n"),
             QStringLiteral("mesh.yaml:7:1:")},
            {QStringLiteral("mesh: {name: shop, trust_domain: other.local}\nservices:\n") + good,
             QStringLiteral("trust_domain cannot change while meshd runs")},
        };
        int refusals = 0;
        for (const auto &c : cases) {
            writeFile(mesh.configFile, c.yaml);
            const auto answer = mesh.admin->post("/api/v1/reload");
            QVERIFY(!answer);
            QVERIFY2(QString::fromStdString(answer.error().message).contains(c.error),
                     answer.error().message.c_str());
            QVERIFY(QString::fromStdString(answer.error().message)
                        .contains(QStringLiteral("the configuration in force stays")));
            ++refusals;
            QCOMPARE(reloadEvents(mesh, QStringLiteral("refused")),
                     refusals); // the watch saw the same text: no second refusal
        }
        // The mesh still runs on its first configuration.
        ProxyClient client(mesh.local);
        QCOMPARE(client.get("http://api.shop/still").result_int(), 200u);
        QCOMPARE(client.get("http://web.shop/x").result_int(), 503u);

        load.stop();
        QVERIFY(load.sent() > 100);
        QVERIFY2(load.failures().isEmpty(), qPrintable(load.failures().join(QLatin1Char('\n'))));
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }

    void aVersionAddedByTheFileGetsItsShare()
    {
        // Only a version added, every other replica as it was: the balancer must learn the new
        // version (a reused one would know v1 only and starve v2).
        HttpBackend v1;
        HttpBackend v2;
        const QString api = QStringLiteral(
            "  - name: api\n    namespace: shop\n    versions: [{name: v1, replicas: %1}%2]\n%3");
        TestMesh mesh(api.arg(replicas({&v1}), QString(), QString()));
        QVERIFY(mesh.meshd);
        writeFile(
            mesh.configFile,
            TestMesh::configFor(api.arg(
                replicas({&v1}), QStringLiteral(", {name: v2, replicas: %1}").arg(replicas({&v2})),
                QStringLiteral(
                    "    split: [{version: v1, weight: 50}, {version: v2, weight: 50}]\n"))));
        QVERIFY(mesh.admin->post("/api/v1/reload"));
        ProxyClient client(mesh.local);
        QVERIFY(QTest::qWaitFor(
            [&] {
                return client.get("http://api.shop/x").result_int() == 200 && v2.requests() > 0;
            },
            5000));
        const int before = v2.requests();
        for (int i = 0; i < 200; ++i)
            QCOMPARE(client.get("http://api.shop/y").result_int(), 200u);
        const int toV2 = v2.requests() - before;
        qInfo("v2 got %d of 200 after the reload", toV2);
        QVERIFY2(toV2 >= 90 && toV2 <= 110, qPrintable(QString::number(toV2)));
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }

    void supervisedWorkloadsStartAndStopWithTheFile()
    {
        const QString one
            = QStringLiteral("  - {name: api, namespace: shop, versions: [{name: v1, replicas: "
                             "[{port: auto, command: [meshd, demo-app]}]}]}\n");
        TestMesh mesh(one);
        QVERIFY(mesh.meshd);
        const auto pidOf = [&](const QString &pod) {
            const auto json
                = QJsonDocument::fromJson(QByteArray::fromStdString(
                                              mesh.admin->get("/api/v1/workloads").value_or("{}")))
                      .object();
            for (const auto &w : json.value(QStringLiteral("workloads")).toArray())
                if (w.toObject().value(QStringLiteral("pod")).toString() == pod)
                    return w.toObject()
                        .value(QStringLiteral("process"))
                        .toObject()
                        .value(QStringLiteral("pid"))
                        .toInteger();
            return qint64(0);
        };
        const auto first = pidOf(QStringLiteral("api-v1-0"));
        QVERIFY(first > 0);

        // A second replica, and a changed command for the first: it is replaced under its name.
        writeFile(mesh.configFile,
                  TestMesh::configFor(QStringLiteral(
                      "  - {name: api, namespace: shop, versions: [{name: v1, replicas: [{port: "
                      "auto, command: [meshd, demo-app, --name, api2]}, "
                      "{port: auto, command: [meshd, demo-app]}]}]}\n")));
        QVERIFY(mesh.admin->post("/api/v1/reload"));
        const auto replaced = pidOf(QStringLiteral("api-v1-0"));
        QVERIFY(replaced > 0 && replaced != first);
        QVERIFY(pidOf(QStringLiteral("api-v1-1")) > 0);
        ProxyClient client(mesh.local);
        // (Not QTRY: it asks once more after success, and the next answer may come from api-v1-1.)
        QVERIFY(QTest::qWaitFor(
            [&] {
                return client.get("http://api.shop/").body().find("\"service\":\"api2\"")
                    != std::string::npos;
            },
            10000));
        // The replaced process got its requests' worth of time, then SIGTERM.
        QVERIFY(::kill(static_cast<pid_t>(first), 0) == 0);
        QTRY_VERIFY_WITH_TIMEOUT(::kill(static_cast<pid_t>(first), 0) != 0, 12000);

        // Back to one replica: the second leaves.
        const auto second = pidOf(QStringLiteral("api-v1-1"));
        writeFile(mesh.configFile, TestMesh::configFor(one));
        QVERIFY(mesh.admin->post("/api/v1/reload"));
        QCOMPARE(pidOf(QStringLiteral("api-v1-1")), qint64(0));
        QTRY_VERIFY_WITH_TIMEOUT(::kill(static_cast<pid_t>(second), 0) != 0, 12000);
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }

    void theDemoMeshHasNoFileToReload()
    {
        meshscope::testing::TempState state;
        auto meshd = meshscope::testing::MeshdProcess::start(state.stateDirQString());
        QVERIFY(meshd);
        const auto run = meshscope::testing::runMeshd(
            {QStringLiteral("reload"), QStringLiteral("--admin"), meshd->adminAddressText(),
             QStringLiteral("--state-dir"), state.stateDirQString()});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral(
                     "meshd runs the embedded demo mesh: there is no file to reload")),
                 qPrintable(run.err));
        QCOMPARE(meshd->stop(SIGTERM), 0);
    }

    void certificatesOfWorkloadsGoneLeaveTheInventory()
    {
        HttpBackend a0;
        HttpBackend w0;
        const QString api = QStringLiteral("  - {name: api, namespace: shop, versions: [{name: "
                                           "v1, replicas: %1}]}\n")
                                .arg(replicas({&a0}));
        const QString web = QStringLiteral("  - {name: web, namespace: shop, versions: [{name: "
                                           "v1, replicas: %1}]}\n")
                                .arg(replicas({&w0}));
        TestMesh mesh(api + web);
        QVERIFY(mesh.meshd);
        // The workload certificates listed, by identity, and whether each is one a sidecar holds.
        const auto listed = [&] {
            std::map<std::string, int> byIdentity;
            std::set<std::string> held = {};
            const auto workloads = mesh.admin->workloads();
            for (const auto &w : *workloads)
                held.insert(w.certificateSerial);
            const auto report = mesh.admin->certificates();
            for (const auto &c : report->certificates)
                if (c.kind == "workload") {
                    ++byIdentity[c.identity];
                    if (c.identity.find("/sa/local-client") == std::string::npos)
                        byIdentity["not held"] += held.contains(c.serial) ? 0 : 1;
                }
            return byIdentity;
        };
        const std::string apiId = "spiffe://mesh.local/ns/shop/sa/api";
        const std::string webId = "spiffe://mesh.local/ns/shop/sa/web";
        auto before = listed();
        QCOMPARE(before[apiId], 1);
        QCOMPARE(before[webId], 1);
        QCOMPARE(before["not held"], 0);

        writeFile(mesh.configFile, TestMesh::configFor(api));
        QVERIFY(mesh.admin->reload());
        auto after = listed();
        QCOMPARE(after[apiId], 1);
        QCOMPARE(after.count(webId), std::size_t(0)); // gone with its replica
        QCOMPARE(after["not held"], 0);

        // A restart: new sidecars, new certificates; those of the processes before are not listed.
        QVERIFY(mesh.restart());
        after = listed();
        QCOMPARE(after[apiId], 1);
        QCOMPARE(after.count(webId), std::size_t(0));
        QCOMPARE(after["not held"], 0);
        const auto report = mesh.admin->certificates();
        for (const auto &c : report->certificates)
            QVERIFY2(c.state == "ok", c.identity.c_str());
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }
};

QTEST_GUILESS_MAIN(TestMeshdReload)
#include "tst_meshd_reload.moc"
