// Bytes users do not type but clients can send: names and paths that are not UTF-8, a mesh.yaml
// saved in the wrong encoding or with a key twice, and requests from web pages (a foreign Host or
// Origin) or with an oversized body. A real meshd must answer each, keep running and keep its API
// readable.
#include <QFile>
#include <QTest>

#include <atomic>
#include <csignal>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "admin/admin_token.h"
#include "core/utf8.h"
#include "tests/support/http_backend.h"
#include "tests/support/promtool.h"
#include "tests/support/proxy_client.h"
#include "tests/support/raw_socket.h"
#include "tests/support/test_mesh.h"

using meshscope::testing::HttpBackend;
using meshscope::testing::ProxyClient;
using meshscope::testing::RawSocket;
using meshscope::testing::replicas;
using meshscope::testing::TestMesh;
using namespace std::chrono_literals;

namespace {

const std::string Fffd = "\xEF\xBF\xBD"; // U+FFFD, what invalid bytes become

struct RawAnswer {
    int status = 0;
    std::string head;
    std::string body;
};

// Sends `request` on a new connection and reads the answer until meshd closes it.
RawAnswer roundTrip(const meshcore::Address &address, const std::string &request)
{
    RawSocket socket(address);
    if (!socket.connected() || !socket.send(request))
        return {};
    bool closed = false;
    const auto text = socket.readUntil("", 10s, &closed);
    RawAnswer answer;
    const auto headerEnd = text.find("\r\n\r\n");
    if (!text.starts_with("HTTP/1.1 ") || headerEnd == std::string::npos)
        return answer;
    answer.status = std::stoi(text.substr(9, 3));
    answer.head = text.substr(0, headerEnd);
    answer.body = text.substr(headerEnd + 4);
    return answer;
}

// The parsed body, or a discarded value when it is not JSON (nlohmann refuses invalid UTF-8).
nlohmann::json parsed(const std::string &body)
{
    return nlohmann::json::parse(body, nullptr, false);
}

// The code of the admin API's JSON error shape ({"error": {"code", "message"}}), or "".
std::string errorCode(const std::string &body)
{
    const auto json = parsed(body);
    if (!json.is_object() || !json.contains("error") || !json["error"].is_object()
        || !json["error"].contains("message"))
        return {};
    return json["error"].value("code", "");
}

bool running(TestMesh &mesh)
{
    return mesh.meshd->process().state() == QProcess::Running;
}

void writeFile(const QString &path, const std::string &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes.data(), static_cast<qint64>(bytes.size()));
}

// A tap open on its own thread with its own client, collecting lines until destroyed.
class Tap {
public:
    Tap(const TestMesh &mesh, std::string path)
    {
        meshcore::client::AdminClient::Options options;
        options.address = mesh.meshd->adminAddress();
        options.token = *meshcore::admin::readAdminToken(mesh.state.stateDir());
        m_thread = std::thread([this, options, path = std::move(path)] {
            auto client = std::move(*meshcore::client::AdminClient::create(options));
            (void)client->streamLines(
                path,
                [this](std::string_view line) {
                    const std::lock_guard lock(m_mutex);
                    m_lines.emplace_back(line);
                    return true;
                },
                [this] { return m_stop.load(); });
        });
    }
    ~Tap()
    {
        m_stop = true;
        m_thread.join();
    }
    std::vector<std::string> lines() const
    {
        const std::lock_guard lock(m_mutex);
        return m_lines;
    }

private:
    std::thread m_thread;
    std::atomic<bool> m_stop {false};
    mutable std::mutex m_mutex;
    std::vector<std::string> m_lines;
};

const QString Api = QStringLiteral(
    "  - name: api\n    namespace: shop\n    versions: [{name: v1, replicas: %1}]\n");

} // namespace

class TestMeshdHostileInput : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void anAuthorityThatIsNotAHostIsRefusedAndTheApiStaysReadable()
    {
        HttpBackend api;
        TestMesh mesh(Api.arg(replicas({&api})));
        QVERIFY(mesh.meshd);
        // A name that is no host name is refused by the proxy: it never becomes a topology
        // entry (it once did, and the next topology read aborted meshd).
        for (const char *request : {"GET http://\xff/ HTTP/1.1\r\nHost: x\r\n\r\n",
                                    "GET http://api.shop:\xff/ HTTP/1.1\r\nHost: x\r\n\r\n",
                                    "GET / HTTP/1.1\r\nHost: caf\xe9\r\n\r\n"})
            QCOMPARE(roundTrip(mesh.local, request).status, 400);
        QCOMPARE(roundTrip(mesh.local, "GET http://api.shop/ HTTP/1.1\r\nHost: x\r\n\r\n").status,
                 200);

        for (const char *path :
             {"/api/v1/topology", "/api/v1/checks", "/api/v1/workloads", "/api/v1/events",
              "/api/v1/routes?service=api", "/api/v1/history?service=api"}) {
            const auto body = mesh.admin->get(path);
            QVERIFY2(body, (std::string(path) + ": " + (body ? "" : body.error().message)).c_str());
            QVERIFY2(meshcore::invalidUtf8Offset(*body) == std::string_view::npos, path);
            QVERIFY2(!parsed(*body).is_discarded(), path);
        }
        const auto topology = parsed(*mesh.admin->get("/api/v1/topology"));
        for (const auto &service : topology.at("services"))
            QVERIFY2(service.value("kind", "") != "unknown", topology.dump().c_str());

        const auto metrics = mesh.metrics().toUtf8();
        QVERIFY(metrics.contains("request_total{"));
        const auto problems = meshscope::testing::promtoolProblems(metrics);
        QVERIFY2(problems.isEmpty(), qPrintable(problems));

        QVERIFY(running(mesh));
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }

    void aPathThatIsNotUtf8ReachesTheTapAndTheService()
    {
        TestMesh mesh(
            QStringLiteral("  - {name: api, namespace: shop, versions: [{name: v1, replicas: "
                           "[{port: auto, command: [meshd, demo-app]}]}]}\n"));
        QVERIFY(mesh.meshd);
        ProxyClient client(mesh.local);
        QVERIFY(QTest::qWaitFor(
            [&] { return client.get("http://api.shop/ready").result_int() == 200; }, 10000));

        Tap tap(mesh, "/api/v1/tap?service=api&path=%2Fcaf");
        QVERIFY(QTest::qWaitFor(
            [&] { return mesh.sample({QStringLiteral("meshscope_tap_streams")}) == 1; }, 5000));
        const auto answer = roundTrip(mesh.local,
                                      "GET http://api.shop/caf\xE9 HTTP/1.1\r\nHost: api.shop\r\n"
                                      "Connection: close\r\n\r\n");
        QCOMPARE(answer.status, 200); // the demo service answered too, with its JSON
        QCOMPARE(parsed(answer.body).value("path", ""), "/caf" + Fffd);

        QVERIFY(QTest::qWaitFor([&] { return !tap.lines().empty(); }, 5000));
        const auto line = parsed(tap.lines().front());
        QVERIFY2(!line.is_discarded(), tap.lines().front().c_str());
        QCOMPARE(line.value("path", ""), "/caf" + Fffd);
        QCOMPARE(line.value("status", 0), 200);
        QVERIFY(running(mesh));
        QVERIFY(mesh.admin->get("/api/v1/topology"));
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }

    void configFilesThatCannotBeReadAreRefusedAndTheMeshKeepsGoing()
    {
        HttpBackend api;
        HttpBackend web;
        const auto good = Api.arg(replicas({&api}));
        TestMesh mesh(good);
        QVERIFY(mesh.meshd);
        const auto refusals = [&] {
            std::vector<std::string> messages;
            const auto events = parsed(mesh.admin->get("/api/v1/events").value_or(""));
            if (events.is_object())
                for (const auto &e : events.at("events"))
                    if (e.value("kind", "") == "reload"
                        && e.value("message", "").find("refused") != std::string::npos)
                        messages.push_back(e.value("message", ""));
            return messages;
        };

        // Saved as Latin-1: the file watch refuses it, and the refusal event is readable.
        writeFile(mesh.configFile, TestMesh::configFor(good).toStdString() + "  - name: caf\xE9\n");
        QVERIFY(QTest::qWaitFor([&] { return refusals().size() == 1; }, 5000));
        QVERIFY2(refusals().front().find("mesh.yaml:6:14: invalid UTF-8 (byte 0xE9)")
                     != std::string::npos,
                 refusals().front().c_str());
        const auto checks = mesh.admin->get("/api/v1/checks");
        QVERIFY(checks && !parsed(*checks).is_discarded());
        QVERIFY(running(mesh));

        // A service added under a key given twice: refused, not half read.
        writeFile(mesh.configFile,
                  TestMesh::configFor(good).toStdString()
                      + "  - name: web\n    namespace: shop\n    versions: [{name: v1, replicas: "
                      + replicas({&web}).toStdString() + "}]\n    namespace: other\n");
        const auto reload = mesh.admin->post("/api/v1/reload");
        QVERIFY(!reload);
        QVERIFY2(reload.error().message.find(
                     "mesh.yaml:9:5: duplicate key 'namespace' (first at line 7)")
                     != std::string::npos,
                 reload.error().message.c_str());
        QVERIFY(reload.error().message.find("the configuration in force stays")
                != std::string::npos);

        // Still the first configuration: api answers, web is unknown.
        ProxyClient client(mesh.local);
        QCOMPARE(client.get("http://api.shop/still").result_int(), 200u);
        QCOMPARE(client.get("http://web.shop/x").result_int(), 503u);
        QCOMPARE(web.requests(), 0);
        QVERIFY(running(mesh));
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }

    void requestsFromWebPagesAndOversizedOnesGetJsonErrors()
    {
        HttpBackend api;
        TestMesh mesh(Api.arg(replicas({&api})));
        QVERIFY(mesh.meshd);
        const auto admin = mesh.meshd->adminAddress();
        const auto port = std::to_string(admin.port);
        const std::string token = "Authorization: Bearer "
            + *meshcore::admin::readAdminToken(mesh.state.stateDir()) + "\r\n";
        const auto get = [&](const std::string &path, const std::string &headers) {
            return roundTrip(admin,
                             "GET " + path + " HTTP/1.1\r\n" + headers + token
                                 + "Connection: close\r\n\r\n");
        };

        // DNS rebinding: the valid token does not help a page that reached 127.0.0.1 as
        // evil.example.
        for (const char *path : {"/api/v1/version", "/api/v1/topology", "/metrics", "/healthz"}) {
            const auto answer = get(path, "Host: evil.example:" + port + "\r\n");
            QVERIFY2(answer.status == 421, (std::string(path) + ": " + answer.head).c_str());
            QCOMPARE(errorCode(answer.body), std::string("misdirected-request"));
        }
        // A page elsewhere posting to 127.0.0.1 directly.
        const auto foreign = get("/api/v1/version",
                                 "Host: 127.0.0.1:" + port + "\r\nOrigin: http://evil.example\r\n");
        QCOMPARE(foreign.status, 403);
        QCOMPARE(errorCode(foreign.body), std::string("forbidden-origin"));

        // Loopback names are served, with or without a loopback Origin; so is the client (libcurl).
        for (const std::string &headers :
             {"Host: 127.0.0.1:" + port + "\r\n", "Host: localhost:" + port + "\r\n",
              "Host: localhost\r\nOrigin: http://localhost:" + port + "\r\n"}) {
            const auto answer = get("/api/v1/version", headers);
            QVERIFY2(answer.status == 200, (headers + answer.head).c_str());
            QCOMPARE(parsed(answer.body).value("mesh", ""), std::string("shop"));
        }
        QVERIFY(mesh.admin->get("/api/v1/version"));

        // An oversized body and a malformed request: the same JSON error shape.
        const auto big
            = roundTrip(admin,
                        "POST /api/v1/reload HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + token
                            + "Content-Length: 2000000\r\n\r\n" + std::string(1000, 'x'));
        QCOMPARE(big.status, 413);
        QVERIFY(big.head.find("Content-Type: application/json") != std::string::npos);
        QCOMPARE(errorCode(big.body), std::string("body-too-large"));
        const auto malformed
            = roundTrip(admin, "GET /api/v1/version HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n");
        QCOMPARE(malformed.status, 400);
        QCOMPARE(errorCode(malformed.body), std::string("malformed-request"));

        QVERIFY(running(mesh));
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }
};

QTEST_GUILESS_MAIN(TestMeshdHostileInput)
#include "tst_meshd_hostile_input.moc"
