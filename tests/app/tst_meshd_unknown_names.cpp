// A flood of requests to names nobody knows, as a misconfigured or hostile client sends them:
// meshd's memory, /metrics and the topology stay bounded, the names beyond the first hundred are
// counted as "(other)", and real services, old and new, keep their series.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <atomic>
#include <thread>

#include "tests/support/http_backend.h"
#include "tests/support/proxy_client.h"
#include "tests/support/raw_socket.h"
#include "tests/support/test_mesh.h"

using namespace meshscope::testing;
using namespace std::chrono_literals;

namespace {

// Resident memory of `pid` in MiB, from /proc.
double residentMiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const auto &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').front().toDouble() / 1024.0;
    return -1;
}

const QString Services = QStringLiteral(
    "  - name: api\n    namespace: shop\n    versions: [{name: v1, replicas: %1}]\n");

} // namespace

class TestMeshdUnknownNames : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aFloodOfUnknownNamesStaysBoundedAndStarvesNoService()
    {
        HttpBackend api;
        TestMesh mesh(Services.arg(replicas({&api})));
        QVERIFY(mesh.meshd);
        const double before = residentMiB(mesh.meshd->pid());

        // 42,000 distinct names, four clients at once, each request on its own connection (the
        // proxy closes it after its 503); bounded in time too.
        constexpr int Names = 42000;
        std::atomic<int> next {0}, answered {0};
        const auto deadline = std::chrono::steady_clock::now() + 120s;
        std::vector<std::thread> clients;
        for (int c = 0; c < 4; ++c)
            clients.emplace_back([&] {
                for (int i = next++; i < Names && std::chrono::steady_clock::now() < deadline;
                     i = next++) {
                    RawSocket socket(mesh.local);
                    socket.send("GET http://name-" + std::to_string(i)
                                + ".example/ HTTP/1.1\r\nHost: x\r\n\r\n");
                    if (socket.readUntil("\r\n\r\n", 5s).starts_with("HTTP/1.1 503"))
                        ++answered;
                }
            });
        for (auto &client : clients)
            client.join();
        QCOMPARE(answered.load(), Names);

        const double after = residentMiB(mesh.meshd->pid());
        qInfo("meshd resident memory: %.1f MiB before, %.1f MiB after %d unknown names", before,
              after, Names);
        QVERIFY2(after < 64, qPrintable(QString::number(after)));

        const auto metrics = mesh.metrics();
        qInfo("/metrics: %lld bytes", static_cast<long long>(metrics.size()));
        QVERIFY(metrics.size() < 1000000);
        QVERIFY(metrics.contains(QStringLiteral("authority=\"(other)\"")));
        QVERIFY(metrics.contains(QStringLiteral("authority=\"name-0.example\""))
                || metrics.contains(QStringLiteral("authority=\"name-1.example\"")));

        const auto topology = QJsonDocument::fromJson(
                                  QByteArray::fromStdString(*mesh.admin->get("/api/v1/topology")))
                                  .object();
        int unknown = 0;
        bool other = false;
        for (const auto &service : topology.value(QStringLiteral("services")).toArray()) {
            const auto object = service.toObject();
            if (object.value(QStringLiteral("kind")).toString() == QStringLiteral("unknown")) {
                ++unknown;
                other = other
                    || object.value(QStringLiteral("name")).toString() == QStringLiteral("(other)");
            }
        }
        QVERIFY2(unknown <= 101, qPrintable(QString::number(unknown)));
        QVERIFY(other);

        // A real service still gets its series, and so does one added after the flood.
        ProxyClient client(mesh.local);
        QCOMPARE(client.get("http://api.shop/").result_int(), 200u);
        HttpBackend late;
        QFile config(mesh.configFile);
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(TestMesh::configFor(Services.arg(replicas({&api}))
                                         + QStringLiteral("  - name: late\n    namespace: shop\n   "
                                                          " versions: [{name: v1, replicas: %1}]\n")
                                               .arg(replicas({&late})))
                         .toUtf8());
        config.close();
        QVERIFY(mesh.admin->post("/api/v1/reload").has_value());
        QVERIFY(QTest::qWaitFor([&] { return client.get("http://late.shop/").result_int() == 200; },
                                10000));
        QVERIFY(mesh.sample({"request_total", "dst_service=\"api\""}) >= 1);
        QVERIFY(mesh.sample({"request_total", "dst_service=\"late\""}) >= 1);
        QVERIFY(mesh.sample({"response_total", "dst_service=\"late\"", "status_code=\"200\""})
                >= 1);
        QCOMPARE(mesh.meshd->process().state(), QProcess::Running);
    }
};

QTEST_GUILESS_MAIN(TestMeshdUnknownNames)
#include "tst_meshd_unknown_names.moc"
