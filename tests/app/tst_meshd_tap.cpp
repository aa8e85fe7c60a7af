// The live tap as users meet it: a real meshd, real workloads, taps open through the admin API
// (as the desktop app opens them) and through `meshd tap` / `meshd top`.
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <atomic>
#include <mutex>
#include <thread>

#include "admin/admin_token.h"
#include "client/admin_client.h"
#include "tests/support/http_backend.h"
#include "tests/support/proxy_client.h"
#include "tests/support/test_mesh.h"

using meshscope::testing::HttpBackend;
using meshscope::testing::ProxyClient;
using meshscope::testing::replicas;
using meshscope::testing::TestMesh;
namespace http = boost::beast::http;

namespace {

// One open tap, read on its own thread with its own client, until destroyed.
class TapReader {
public:
    TapReader(const TestMesh &mesh, std::string path)
    {
        meshcore::client::AdminClient::Options options;
        options.address = mesh.meshd->adminAddress();
        options.token = *meshcore::admin::readAdminToken(mesh.state.stateDir());
        m_thread = std::thread([this, options, path = std::move(path)] {
            auto client = std::move(*meshcore::client::AdminClient::create(options));
            const auto result = client->streamLines(
                path,
                [this](std::string_view line) {
                    const std::lock_guard lock(m_mutex);
                    m_lines.push_back(
                        QJsonDocument::fromJson(
                            QByteArray(line.data(), static_cast<qsizetype>(line.size())))
                            .object());
                    return true;
                },
                [this] { return m_stop.load(); });
            m_ended = true;
            m_ok = result.has_value();
        });
    }
    ~TapReader()
    {
        m_stop = true;
        m_thread.join();
    }
    std::vector<QJsonObject> lines() const
    {
        const std::lock_guard lock(m_mutex);
        return m_lines;
    }
    bool ended() const { return m_ended; }
    bool ok() const { return m_ok; }
    QStringList paths() const
    {
        QStringList out;
        for (const auto &line : lines())
            out << line.value(QStringLiteral("destination"))
                        .toObject()
                        .value(QStringLiteral("service"))
                        .toString()
                    + " " + line.value(QStringLiteral("method")).toString() + " "
                    + line.value(QStringLiteral("path")).toString();
        out.sort();
        return out;
    }

private:
    std::thread m_thread;
    std::atomic<bool> m_stop {false};
    std::atomic<bool> m_ended {false};
    std::atomic<bool> m_ok {false};
    mutable std::mutex m_mutex;
    std::vector<QJsonObject> m_lines;
};

bool waitForTaps(const TestMesh &mesh, int count)
{
    return QTest::qWaitFor(
        [&] { return mesh.sample({QStringLiteral("meshscope_tap_streams")}) == count; }, 5000);
}

const QString Services
    = QStringLiteral("  - name: api\n"
                     "    namespace: shop\n"
                     "    versions: [{name: v1, replicas: %1}]\n"
                     "    routes: [{name: search, method: GET, path_prefix: /search}]\n"
                     "  - name: web\n"
                     "    namespace: shop\n"
                     "    versions: [{name: v1, replicas: %2}]\n");

} // namespace

class TestMeshdTap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void eachFilterSeesExactlyItsRequests()
    {
        HttpBackend api;
        HttpBackend web;
        web.setStatus(503);
        TestMesh mesh(Services.arg(replicas({&api}), replicas({&web})));
        QVERIFY(mesh.meshd);
        {
            TapReader all(mesh, "/api/v1/tap");
            TapReader toApi(mesh, "/api/v1/tap?service=api");
            TapReader failed(mesh, "/api/v1/tap?status=5xx");
            TapReader search(mesh, "/api/v1/tap?route=search");
            TapReader prefix(mesh, "/api/v1/tap?path=%2Fsearch%2Fb");
            TapReader posts(mesh, "/api/v1/tap?method=POST&service=api.shop");
            TapReader fromElsewhere(mesh, "/api/v1/tap?from=web");
            QVERIFY(waitForTaps(mesh, 7));

            ProxyClient client(mesh.local);
            QCOMPARE(client.get("http://api.shop/search/a").result_int(), 200);
            QCOMPARE(client.get("http://api.shop/search/b1").result_int(), 200);
            QCOMPARE(client.get("http://api.shop/items").result_int(), 200);
            QCOMPARE(client.send(http::verb::post, "http://api.shop/search/b2", "x").result_int(),
                     200);
            QCOMPARE(client.get("http://web.shop/x").result_int(), 503);
            ProxyClient misspelled(mesh.local); // an unknown name closes the connection
            QCOMPARE(misspelled.get("http://catalgo.shop/x").result_int(), 503);
            QVERIFY(QTest::qWaitFor([&] { return all.lines().size() == 6; }, 5000));
            QTest::qWait(300); // a filter letting too much through would show now

            QCOMPARE(all.paths(),
                     QStringList({"api.shop GET /items", "api.shop GET /search/a",
                                  "api.shop GET /search/b1", "api.shop POST /search/b2",
                                  "catalgo.shop GET /x", "web.shop GET /x"}));
            QCOMPARE(toApi.paths(),
                     QStringList({"api.shop GET /items", "api.shop GET /search/a",
                                  "api.shop GET /search/b1", "api.shop POST /search/b2"}));
            QCOMPARE(failed.paths(), QStringList({"catalgo.shop GET /x", "web.shop GET /x"}));
            QCOMPARE(search.paths(),
                     QStringList({"api.shop GET /search/a",
                                  "api.shop GET /search/b1"})); // the route is GET only
            QCOMPARE(prefix.paths(),
                     QStringList({"api.shop GET /search/b1", "api.shop POST /search/b2"}));
            QCOMPARE(posts.paths(), QStringList({"api.shop POST /search/b2"}));
            QVERIFY(fromElsewhere.paths().isEmpty());

            // What one line says.
            QJsonObject searchA;
            QJsonObject unknown;
            for (const auto &line : all.lines()) {
                if (line.value(QStringLiteral("path")).toString() == QStringLiteral("/search/a"))
                    searchA = line;
                if (line.value(QStringLiteral("authority")).toString()
                    == QStringLiteral("catalgo.shop"))
                    unknown = line;
            }
            QCOMPARE(searchA.value(QStringLiteral("kind")).toString(), QStringLiteral("request"));
            QCOMPARE(searchA.value(QStringLiteral("status")).toInt(), 200);
            QCOMPARE(searchA.value(QStringLiteral("route")).toString(), QStringLiteral("search"));
            QCOMPARE(searchA.value(QStringLiteral("tls")).toString(), QStringLiteral("mtls"));
            QCOMPARE(searchA.value(QStringLiteral("source"))
                         .toObject()
                         .value(QStringLiteral("identity"))
                         .toString(),
                     QStringLiteral("spiffe://mesh.local/ns/meshscope-local/sa/local-client"));
            QCOMPARE(searchA.value(QStringLiteral("destination"))
                         .toObject()
                         .value(QStringLiteral("identity"))
                         .toString(),
                     QStringLiteral("spiffe://mesh.local/ns/shop/sa/api"));
            QCOMPARE(searchA.value(QStringLiteral("destination"))
                         .toObject()
                         .value(QStringLiteral("pod"))
                         .toString(),
                     QStringLiteral("api-v1-0"));
            QVERIFY(searchA.value(QStringLiteral("latency_ms")).toDouble() > 0);
            QVERIFY(searchA.value(QStringLiteral("unix_ms")).toDouble() > 1.7e12);
            QCOMPARE(unknown.value(QStringLiteral("tls")).toString(), QStringLiteral("none"));
            QCOMPARE(unknown.value(QStringLiteral("error")).toString(),
                     QStringLiteral("unknown-service"));
            QCOMPARE(unknown.value(QStringLiteral("destination"))
                         .toObject()
                         .value(QStringLiteral("pod"))
                         .toString(),
                     QString());
        }
        // Every reader hung up: meshd let go of their subscriptions.
        QVERIFY(waitForTaps(mesh, 0));
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }

    void maxEndsTheStreamAndBadFiltersAreRefused()
    {
        HttpBackend api;
        HttpBackend web;
        TestMesh mesh(Services.arg(replicas({&api}), replicas({&web})));
        QVERIFY(mesh.meshd);
        TapReader two(mesh, "/api/v1/tap?service=api&max=2");
        QVERIFY(waitForTaps(mesh, 1));
        ProxyClient client(mesh.local);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(client.get("http://api.shop/items").result_int(), 200);
        QVERIFY(QTest::qWaitFor([&] { return two.ended(); }, 5000));
        QVERIFY(two.ok());
        QCOMPARE(two.lines().size(), std::size_t(2));
        QVERIFY(waitForTaps(mesh, 0));

        for (const char *bad :
             {"/api/v1/tap?status=9xx", "/api/v1/tap?max=0", "/api/v1/tap?max=x"}) {
            const auto answer = mesh.admin->get(bad);
            QVERIFY2(!answer && answer.error().code == meshcore::ErrorCode::InvalidArgument, bad);
        }
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }

    void meshdTapAndTopPrintWhatFlows()
    {
        HttpBackend api;
        HttpBackend web;
        TestMesh mesh(Services.arg(replicas({&api}), replicas({&web})));
        QVERIFY(mesh.meshd);
        const QStringList where = {QStringLiteral("--admin"), mesh.meshd->adminAddressText(),
                                   QStringLiteral("--state-dir"), mesh.state.stateDirQString()};
        ProxyClient client(mesh.local);

        QProcess tap;
        tap.start(QStringLiteral(MESHD_PATH),
                  QStringList {QStringLiteral("tap"), QStringLiteral("api"),
                               QStringLiteral("--max"), QStringLiteral("3")}
                      + where);
        QVERIFY(waitForTaps(mesh, 1));
        for (int i = 0; i < 2; ++i)
            QCOMPARE(client.get("http://web.shop/skip").result_int(), 200);
        for (int i = 0; i < 3; ++i)
            QCOMPARE(client.get("http://api.shop/search/q" + std::to_string(i)).result_int(), 200);
        QVERIFY(tap.waitForFinished(10000));
        QCOMPARE(tap.exitCode(), 0);
        const auto lines = QString::fromUtf8(tap.readAllStandardOutput())
                               .split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        for (const auto &line : lines) {
            QVERIFY2(
                line.contains(QStringLiteral("local-client -> api-v1-0  GET api.shop/search/q")),
                qPrintable(line));
            QVERIFY2(line.contains(QStringLiteral("  200  "))
                         && line.contains(QStringLiteral("mTLS  route=search")),
                     qPrintable(line));
        }

        QProcess top;
        top.start(QStringLiteral(MESHD_PATH),
                  QStringList {QStringLiteral("top"), QStringLiteral("--duration"),
                               QStringLiteral("3s"), QStringLiteral("--json")}
                      + where);
        QVERIFY(waitForTaps(mesh, 1));
        for (int i = 0; i < 4; ++i)
            QCOMPARE(client.get("http://api.shop/items").result_int(), 200);
        QCOMPARE(client.get("http://web.shop/once").result_int(), 200);
        QVERIFY(top.waitForFinished(10000));
        QCOMPARE(top.exitCode(), 0);
        const auto rows = QJsonDocument::fromJson(top.readAllStandardOutput()).array();
        QCOMPARE(rows.size(), 2);
        const auto busiest = rows.at(0).toObject();
        QCOMPARE(busiest.value(QStringLiteral("path")).toString(), QStringLiteral("/items"));
        QCOMPARE(busiest.value(QStringLiteral("destination")).toString(),
                 QStringLiteral("api-v1-0"));
        QCOMPARE(busiest.value(QStringLiteral("count")).toInt(), 4);
        QCOMPARE(busiest.value(QStringLiteral("success_rate")).toDouble(), 1.0);
        QCOMPARE(rows.at(1).toObject().value(QStringLiteral("count")).toInt(), 1);

        const auto bad = meshscope::testing::runMeshd(
            QStringList {QStringLiteral("tap"), QStringLiteral("--status"), QStringLiteral("7xx")}
            + where);
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains(QStringLiteral("--status takes a class like 2xx or 5xx")));
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }
};

QTEST_GUILESS_MAIN(TestMeshdTap)
#include "tst_meshd_tap.moc"
