// Upstream ports through a real meshd, tested as an outsider would: a Node.js workload whose
// built-in fetch ignores http_proxy calls the port meshd names in $CATALOG_ADDR; curl calls the
// mesh's own ports for local clients; Python's http.server answers behind. Every hop between the
// sidecars is checked to be mTLS with the caller's identity, from the metrics and from the
// l5d-client-id the backend received.
#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <csignal>

#include "core/loopback.h"
#include "tests/support/curl_run.h"
#include "tests/support/raw_socket.h"
#include "tests/support/test_mesh.h"

using namespace meshscope::testing;
using namespace std::chrono_literals;

namespace {

const QString SupportDir = QStringLiteral(MESHSCOPE_TEST_SUPPORT_DIR);
const QString WebId = QStringLiteral("spiffe://mesh.local/ns/default/sa/web");
const QString LocalId = QStringLiteral("spiffe://mesh.local/ns/meshscope-local/sa/local-client");

quint16 freePort()
{
    const auto port = meshcore::freeLoopbackPort();
    return port ? *port : 0;
}

QString servicesYaml(const QString &node)
{
    return QStringLiteral(
               "  - name: catalog\n"
               "    versions: [{name: v1, replicas: [{port: auto, command: \"exec /usr/bin/python3 "
               "%1/integrity_backend.py $PORT\"}]}]\n"
               "  - name: web\n"
               "    upstreams: [catalog]\n"
               "    versions: [{name: v1, replicas: [{port: auto, command: \"exec %2 "
               "%1/fetch_caller.js\"}]}]\n")
        .arg(SupportDir, node);
}

// The top-level list, for local clients.
QString localUpstreams(const QString &entries)
{
    return QStringLiteral("upstreams: [%1]\n").arg(entries);
}

} // namespace

class TestMeshdUpstreamPorts : public QObject {
    Q_OBJECT

    std::unique_ptr<TestMesh> m_mesh;
    QString m_node;
    quint16 m_localPort = 0;

    QStringList viaMesh(const QString &url) const
    {
        return {QStringLiteral("-x"),
                QStringLiteral("http://") + QString::fromStdString(m_mesh->local.toString()), url};
    }
    static QString direct(quint16 port, const QString &path)
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path);
    }
    // The upstreams of web-v1-0, as the admin API lists them.
    QJsonArray webUpstreams() const
    {
        const auto body = m_mesh->admin->get("/api/v1/workloads").value_or("");
        for (const auto w : QJsonDocument::fromJson(QByteArray::fromStdString(body))
                                .object()
                                .value(QStringLiteral("workloads"))
                                .toArray())
            if (w.toObject().value(QStringLiteral("pod")).toString() == QStringLiteral("web-v1-0"))
                return w.toObject().value(QStringLiteral("upstreams")).toArray();
        return {};
    }
    // Applies `yaml`; true when meshd took it. `summary` gets what it says changed.
    bool reloadWith(const QString &yaml, std::string *summary = nullptr)
    {
        QFile file(m_mesh->configFile);
        if (!file.open(QIODevice::WriteOnly))
            return false;
        file.write(TestMesh::configFor(yaml).toUtf8());
        file.close();
        const auto result = m_mesh->admin->reload();
        if (result && summary)
            *summary = result->summary;
        return result.has_value();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_node = QStandardPaths::findExecutable(QStringLiteral("node"));
        m_localPort = freePort();
        QVERIFY(m_localPort != 0);
        m_mesh = std::make_unique<TestMesh>(
            servicesYaml(m_node)
            + localUpstreams(QStringLiteral("{service: catalog, port: %1}").arg(m_localPort)));
        QVERIFY(m_mesh->meshd && m_mesh->admin);
        QTRY_VERIFY_WITH_TIMEOUT(
            runCurl(viaMesh(QStringLiteral("http://web/env"))).out.startsWith("127.0.0.1:"), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            runCurl({direct(m_localPort, QStringLiteral("/count"))}).exitCode == 0, 20000);
    }

    // Node's fetch, which ignores http_proxy, reaches catalog through web's sidecar as web.
    void nodeFetchReachesTheServiceAsTheCaller()
    {
        if (m_node.isEmpty())
            QSKIP("Node.js is not installed (scripts/install-deps.sh installs it)");
        const auto got = runCurl(viaMesh(QStringLiteral("http://web/call/headers")));
        QCOMPARE(got.exitCode, 0);
        QVERIFY2(got.out.contains("l5d-client-id: " + WebId.toUtf8()), got.out.constData());
        // Upstream, the request names the service, not the loopback port it came in on.
        QVERIFY2(got.out.contains("Host: catalog\n"), got.out.constData());
        QVERIFY(m_mesh->sample(
                    {QStringLiteral("response_total"), QStringLiteral("direction=\"inbound\""),
                     QStringLiteral("deployment=\"catalog-v1\""), QStringLiteral("tls=\"true\""),
                     QStringLiteral("client_id=\"%1\"").arg(WebId)})
                >= 1);
        QVERIFY(m_mesh->sample({QStringLiteral("response_total"),
                                QStringLiteral("direction=\"outbound\""),
                                QStringLiteral("deployment=\"web-v1\""),
                                QStringLiteral("dst_service=\"catalog\""),
                                QStringLiteral("authority=\"catalog\"")})
                >= 1);
    }

    // The process's $CATALOG_ADDR is the port the API and `meshd env` name.
    void theEnvironmentNamesThePort()
    {
        if (m_node.isEmpty())
            QSKIP("Node.js is not installed (scripts/install-deps.sh installs it)");
        const auto upstreams = webUpstreams();
        QCOMPARE(upstreams.size(), 1);
        const auto entry = upstreams.at(0).toObject();
        QCOMPARE(entry.value(QStringLiteral("service")).toString(), QStringLiteral("catalog"));
        QCOMPARE(entry.value(QStringLiteral("env")).toString(), QStringLiteral("CATALOG_ADDR"));
        const auto address = entry.value(QStringLiteral("address")).toString();
        QCOMPARE(QString::fromUtf8(runCurl(viaMesh(QStringLiteral("http://web/env"))).out),
                 address);
        const QStringList admin {QStringLiteral("--admin"), m_mesh->meshd->adminAddressText(),
                                 QStringLiteral("--state-dir"), m_mesh->state.stateDirQString()};
        const auto web
            = runMeshd(QStringList {QStringLiteral("env"), QStringLiteral("web")} + admin);
        QCOMPARE(web.exitCode, 0);
        QVERIFY2(web.out.contains(QStringLiteral("export CATALOG_ADDR=") + address),
                 qPrintable(web.out));
        const auto local
            = runMeshd(QStringList {QStringLiteral("env"), QStringLiteral("--local")} + admin);
        QCOMPARE(local.exitCode, 0);
        QVERIFY2(
            local.out.contains(QStringLiteral("export CATALOG_ADDR=127.0.0.1:%1").arg(m_localPort)),
            qPrintable(local.out));
        QVERIFY(local.out.contains(QStringLiteral("export http_proxy=http://")));
        QVERIFY(local.out.contains(QStringLiteral("export no_proxy=127.0.0.1,localhost,::1")));
    }

    // curl, with no proxy setting, calls the mesh's own port as the local clients, and 10 MB go
    // up whole.
    void curlCallsALocalPortAsTheLocalClients()
    {
        const auto headers = runCurl({direct(m_localPort, QStringLiteral("/headers"))});
        QCOMPARE(headers.exitCode, 0);
        QVERIFY2(headers.out.contains("l5d-client-id: " + LocalId.toUtf8()),
                 headers.out.constData());
        QByteArray upload(10'000'000, Qt::Uninitialized);
        for (int i = 0; i < upload.size(); ++i)
            upload[i] = static_cast<char>((i * 7919) >> 3);
        const auto sha
            = runCurl({QStringLiteral("--data-binary"), QStringLiteral("@-"), QStringLiteral("-H"),
                       QStringLiteral("Transfer-Encoding: chunked"),
                       direct(m_localPort, QStringLiteral("/sha"))},
                      upload);
        QCOMPARE(sha.exitCode, 0);
        QCOMPARE(sha.out,
                 QByteArray::number(upload.size()) + " "
                     + QCryptographicHash::hash(upload, QCryptographicHash::Sha256).toHex());
        QVERIFY(m_mesh->sample(
                    {QStringLiteral("response_total"), QStringLiteral("direction=\"inbound\""),
                     QStringLiteral("deployment=\"catalog-v1\""), QStringLiteral("tls=\"true\""),
                     QStringLiteral("client_id=\"%1\"").arg(LocalId)})
                >= 2);
    }

    // curl tunnels through 4140 with CONNECT; inside the tunnel, the requests go to the
    // service the CONNECT named, over mTLS as the local clients.
    void curlTunnelsWithConnect()
    {
        const auto got
            = runCurl({QStringLiteral("-p"), QStringLiteral("-x"),
                       QStringLiteral("http://") + QString::fromStdString(m_mesh->local.toString()),
                       QStringLiteral("http://catalog:8080/headers"),
                       QStringLiteral("http://catalog:8080/count")});
        QCOMPARE(got.exitCode, 0);
        QVERIFY2(got.out.contains("l5d-client-id: " + LocalId.toUtf8()), got.out.constData());
        QVERIFY2(got.out.contains("Host: catalog\n"), got.out.constData());
    }

    // What a CONNECT must not be: each is refused at once, and nothing reaches the service.
    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void connectsThatCannotWorkAreRefused_data()
    {
        QTest::addColumn<bool>("onUpstreamPort");
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QByteArray>("answer");
        QTest::newRow("unknown service")
            << false << QByteArray("CONNECT nosuch:80 HTTP/1.1\r\nHost: nosuch:80\r\n\r\n")
            << QByteArray("HTTP/1.1 503");
        QTest::newRow("no port") << false
                                 << QByteArray("CONNECT catalog HTTP/1.1\r\nHost: catalog\r\n\r\n")
                                 << QByteArray("HTTP/1.1 400");
        QTest::newRow("origin form")
            << false << QByteArray("CONNECT /headers HTTP/1.1\r\nHost: catalog\r\n\r\n")
            << QByteArray("HTTP/1.1 400");
        QTest::newRow("with a body")
            << false
            << QByteArray("CONNECT catalog:80 HTTP/1.1\r\nHost: catalog:80\r\n"
                          "Content-Length: 3\r\n\r\nabc")
            << QByteArray("HTTP/1.1 400");
        QTest::newRow("TLS inside")
            << false << QByteArray("CONNECT catalog:443 HTTP/1.1\r\nHost: catalog:443\r\n\r\n")
            << QByteArray("HTTP/1.1 400");
        QTest::newRow("port 0") << false
                                << QByteArray(
                                       "CONNECT catalog:0 HTTP/1.1\r\nHost: catalog:0\r\n\r\n")
                                << QByteArray("HTTP/1.1 400");
        QTest::newRow("another service on an upstream port")
            << true << QByteArray("GET http://web/env HTTP/1.1\r\nHost: web\r\n\r\n")
            << QByteArray("HTTP/1.1 400");
        QTest::newRow("on an upstream port")
            << true << QByteArray("CONNECT catalog:80 HTTP/1.1\r\nHost: catalog:80\r\n\r\n")
            << QByteArray("HTTP/1.1 400");
        QTest::newRow("inside a tunnel")
            << false
            << QByteArray("CONNECT catalog:80 HTTP/1.1\r\nHost: catalog:80\r\n\r\n"
                          "CONNECT catalog:80 HTTP/1.1\r\nHost: catalog:80\r\n\r\n")
            << QByteArray("HTTP/1.1 200 Connection established\r\n\r\nHTTP/1.1 400");
    }
    void connectsThatCannotWorkAreRefused()
    {
        QFETCH(bool, onUpstreamPort);
        QFETCH(QByteArray, request);
        QFETCH(QByteArray, answer);
        const int before = runCurl({direct(m_localPort, QStringLiteral("/count"))}).out.toInt();
        RawSocket socket(onUpstreamPort ? meshcore::Address {"127.0.0.1", m_localPort}
                                        : m_mesh->local);
        QVERIFY(socket.connected() && socket.send(request.toStdString()));
        bool closed = false;
        const auto got = QByteArray::fromStdString(socket.readUntil("", 5s, &closed));
        QVERIFY2(got.startsWith(answer), got.constData());
        QVERIFY(got.contains("l5d-proxy-error: "));
        QVERIFY(closed);
        // The one request counted is the /count below: nothing else reached catalog.
        QCOMPARE(runCurl({direct(m_localPort, QStringLiteral("/count"))}).out.toInt(), before + 1);
    }

    // A reload keeps a port that did not change, moves a fixed port to another service without
    // closing it, binds a new one, and closes those it no longer lists.
    void aReloadKeepsMovesAndClosesPorts()
    {
        if (m_node.isEmpty())
            QSKIP("Node.js is not installed (scripts/install-deps.sh installs it)");
        const auto before = webUpstreams();
        const quint16 second = freePort();
        std::string summary;
        QVERIFY(reloadWith(servicesYaml(m_node)
                               + localUpstreams(QStringLiteral("{service: web, port: %1}, "
                                                               "{service: catalog, port: %2}")
                                                    .arg(m_localPort)
                                                    .arg(second)),
                           &summary));
        QCOMPARE(summary, std::string("upstream ports for local clients changed"));
        QCOMPARE(webUpstreams(), before); // web's replica was not replaced
        // The first port now goes to web (Node answers /env), the second to catalog.
        QTRY_VERIFY_WITH_TIMEOUT(
            runCurl({direct(m_localPort, QStringLiteral("/env"))}).out.startsWith("127.0.0.1:"),
            5000);
        const auto headers = runCurl({direct(second, QStringLiteral("/headers"))});
        QVERIFY2(headers.out.contains("l5d-client-id: " + LocalId.toUtf8()),
                 headers.out.constData());

        QVERIFY(reloadWith(servicesYaml(m_node)));
        QTRY_COMPARE_WITH_TIMEOUT(runCurl({direct(second, QStringLiteral("/count"))}).exitCode, 7,
                                  5000);
        QCOMPARE(runCurl({direct(m_localPort, QStringLiteral("/count"))}).exitCode, 7); // refused
    }

    // A changed upstream list replaces web's replica: the new process gets the new variable.
    void aChangedListRestartsTheCallerWithItsVariables()
    {
        if (m_node.isEmpty())
            QSKIP("Node.js is not installed (scripts/install-deps.sh installs it)");
        const quint16 fixed = freePort();
        const auto withList = [this](const QString &list) {
            return QString(servicesYaml(m_node))
                .replace(QStringLiteral("upstreams: [catalog]"),
                         QStringLiteral("upstreams: ") + list);
        };
        QVERIFY(reloadWith(withList(QStringLiteral("[{service: catalog, port: %1}, "
                                                   "{service: catalog, env: SECOND_ADDR}]")
                                        .arg(fixed))));
        QTRY_COMPARE_WITH_TIMEOUT(webUpstreams().size(), 2, 5000);
        const auto address = QStringLiteral("127.0.0.1:%1").arg(fixed);
        QCOMPARE(webUpstreams().at(0).toObject().value(QStringLiteral("address")).toString(),
                 address);
        QTRY_COMPARE_WITH_TIMEOUT(
            QString::fromUtf8(runCurl(viaMesh(QStringLiteral("http://web/env"))).out), address,
            20000);
        auto got = runCurl(viaMesh(QStringLiteral("http://web/call/headers")));
        QVERIFY2(got.out.contains("l5d-client-id: " + WebId.toUtf8()), got.out.constData());

        // Replaced again (its process changes): the new replica takes the fixed port over.
        QVERIFY(reloadWith(withList(QStringLiteral("[{service: catalog, port: %1}]").arg(fixed))
                               .replace(QStringLiteral("fetch_caller.js\""),
                                        QStringLiteral("fetch_caller.js --again\""))));
        QTRY_COMPARE_WITH_TIMEOUT(webUpstreams().size(), 1, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(runCurl(viaMesh(QStringLiteral("http://web/call/headers")))
                                     .out.contains("l5d-client-id: " + WebId.toUtf8()),
                                 20000);
        QCOMPARE(QString::fromUtf8(runCurl({direct(fixed, QStringLiteral("/headers"))}).out)
                     .contains(WebId),
                 true);

        // Renamed (web-v1-0 becomes web-v2-0): the port passes between two pods.
        QVERIFY(reloadWith(withList(QStringLiteral("[{service: catalog, port: %1}]").arg(fixed))
                               .replace(QStringLiteral("name: v1, replicas: [{port: auto, "
                                                       "command: \"exec ")
                                            + m_node,
                                        QStringLiteral("name: v2, replicas: [{port: auto, "
                                                       "command: \"exec ")
                                            + m_node)));
        QTRY_VERIFY_WITH_TIMEOUT(runCurl({direct(fixed, QStringLiteral("/headers"))})
                                     .out.contains("l5d-client-id: " + WebId.toUtf8()),
                                 5000);
    }

    void cleanupTestCase()
    {
        if (m_mesh && m_mesh->meshd)
            QCOMPARE(m_mesh->meshd->stop(SIGTERM), 0);
    }
};

QTEST_GUILESS_MAIN(TestMeshdUpstreamPorts)
#include "tst_meshd_upstream_ports.moc"
