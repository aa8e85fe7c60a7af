// Data integrity through a real meshd, tested as an outsider would: curl and Python's http.client
// in front, Python's http.server and nginx behind, every body checked by SHA-256, with the
// framings, sizes and timings real traffic has. Then the malformed traffic the proxies must refuse
// with a 400 at once and without forwarding anything.
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTest>

#include <unistd.h>

#include <random>
#include <thread>

#include "tests/support/curl_run.h"
#include "tests/support/raw_socket.h"
#include "tests/support/test_mesh.h"

using namespace meshscope::testing;
using namespace std::chrono_literals;

namespace {

const QString SupportDir = QStringLiteral(MESHSCOPE_TEST_SUPPORT_DIR);
const int Sizes[] = {0, 1, 16383, 16384, 16385, 65535, 65536, 65537, 1000000, 10000000};

QByteArray sha256(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

// Deterministic bytes for an upload of `n` bytes.
QByteArray uploadOf(int n)
{
    QByteArray bytes(n, Qt::Uninitialized);
    std::mt19937 random(static_cast<unsigned>(n));
    for (auto &c : bytes)
        c = static_cast<char>(random() & 0xff);
    return bytes;
}

QString nginxConfig(const QString &root)
{
    return QStringLiteral(
               "%1worker_processes 1;\nerror_log %2/error.log;\npid %2/nginx.pid;\n"
               "events {}\nhttp {\n  access_log off;\n  client_body_temp_path %2/body;\n"
               "  client_max_body_size 0;\n  proxy_temp_path %2/proxy;\n  fastcgi_temp_path "
               "%2/fcgi;\n"
               "  uwsgi_temp_path %2/uwsgi;\n  scgi_temp_path %2/scgi;\n"
               "  server {\n    listen 127.0.0.1:NGINX_PORT;\n    root %2/www;\n"
               "    location /put/ { dav_methods PUT; create_full_put_path on; }\n  }\n}\n")
        .arg(::geteuid() == 0 ? QStringLiteral("user root;\n") : QString(), root);
}

} // namespace

class TestMeshdHttpIntegrity : public QObject {
    Q_OBJECT

    std::unique_ptr<TestMesh> m_mesh;
    QTemporaryDir m_nginxDir;
    QString m_proxy;
    bool m_haveNginx = false;

    QStringList via(const QString &url) const { return {QStringLiteral("-x"), m_proxy, url}; }

    // Waits until `service` answers through the mesh.
    bool waitFor(const QString &url)
    {
        for (int i = 0; i < 100; ++i) {
            if (runCurl(via(url)
                            + QStringList {QStringLiteral("-o"), QStringLiteral("/dev/null"),
                                           QStringLiteral("-f")},
                        {}, 5000)
                    .exitCode
                == 0)
                return true;
            QTest::qWait(200);
        }
        return false;
    }

    int backendCount() { return runCurl(via(QStringLiteral("http://py/count"))).out.toInt(); }

    // Sends `bytes` on a new connection to the outbound proxy and returns what came back.
    std::string rawExchange(const std::string &bytes, bool *closed = nullptr)
    {
        RawSocket socket(m_mesh->local);
        if (!socket.connected() || !socket.send(bytes))
            return {};
        return socket.readUntil("\r\n\r\n", 5s, closed);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_nginxDir.isValid());
        const QString root = m_nginxDir.path();
        m_haveNginx
            = !QStandardPaths::findExecutable(QStringLiteral("nginx"), {"/usr/sbin", "/usr/bin"})
                   .isEmpty();
        for (const auto *dir : {"www", "www/put", "body", "proxy", "fcgi", "uwsgi", "scgi"})
            QVERIFY(QDir(root).mkpath(QString::fromLatin1(dir)));
        for (const int n : Sizes) {
            QFile file(root + QStringLiteral("/www/file-%1").arg(n));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(uploadOf(n));
        }
        QFile conf(root + QStringLiteral("/nginx.conf.in"));
        QVERIFY(conf.open(QIODevice::WriteOnly));
        conf.write(nginxConfig(root).toUtf8());
        conf.close();
        QString services
            = QStringLiteral("  - name: py\n    versions: [{name: v1, replicas: [{port: auto, "
                             "command: \"exec python3 %1/integrity_backend.py $PORT\"}]}]\n")
                  .arg(SupportDir);
        if (m_haveNginx)
            services += QStringLiteral(
                            "  - name: ng\n    versions: [{name: v1, replicas: [{port: auto, "
                            "command: \"sed s/NGINX_PORT/$PORT/ %1/nginx.conf.in > %1/nginx.conf "
                            "&& exec %2 -p %1 -c %1/nginx.conf -g 'daemon off;'\"}]}]\n")
                            .arg(root,
                                 QStandardPaths::findExecutable(QStringLiteral("nginx"),
                                                                {"/usr/sbin", "/usr/bin"}));
        else
            qWarning("nginx is not installed: its cases are skipped (scripts/install-deps.sh "
                     "installs it)");
        m_mesh = std::make_unique<TestMesh>(services);
        QVERIFY(m_mesh->meshd);
        m_proxy = QStringLiteral("http://%1").arg(QString::fromStdString(m_mesh->local.toString()));
        QVERIFY2(waitFor(QStringLiteral("http://py/count")), qPrintable(m_mesh->meshd->output()));
        if (m_haveNginx)
            QVERIFY(waitFor(QStringLiteral("http://ng/file-1")));
    }

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void downloadsArriveWhole_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<int>("chunk");
        QTest::newRow("content-length") << QStringLiteral("length") << 0;
        QTest::newRow("chunked, growing chunks") << QStringLiteral("chunked") << 0;
        QTest::newRow("chunked, 1-byte chunks") << QStringLiteral("chunked") << 1;
        QTest::newRow("chunked, uneven 5000") << QStringLiteral("chunked") << 5000;
        QTest::newRow("chunked, bigger than a TLS record") << QStringLiteral("chunked") << 100000;
    }
    void downloadsArriveWhole()
    {
        QFETCH(QString, mode);
        QFETCH(int, chunk);
        const QString file = m_nginxDir.filePath(QStringLiteral("download"));
        for (const int n : Sizes) {
            if (chunk == 1 && n > 65537)
                continue; // a million 1-byte chunks prove nothing more and take long
            const auto got
                = runCurl(via(QStringLiteral("http://py/bytes/%1?mode=%2&chunk=%3")
                                  .arg(n)
                                  .arg(mode)
                                  .arg(chunk))
                          + QStringList {QStringLiteral("-o"), file, QStringLiteral("-w"),
                                         QStringLiteral("%{http_code} %header{x-body-sha256}")});
            QFile body(file);
            QVERIFY(body.open(QIODevice::ReadOnly));
            QCOMPARE(got.exitCode, 0);
            const QByteArray expected = "200 " + sha256(body.readAll());
            QVERIFY2(got.out == expected,
                     qPrintable(
                         QStringLiteral("%1 bytes: %2").arg(n).arg(QString::fromLatin1(got.out))));
        }
    }

    void nginxDownloadsArriveWhole()
    {
        if (!m_haveNginx)
            QSKIP("nginx is not installed");
        for (const int n : Sizes) {
            const auto got = runCurl(via(QStringLiteral("http://ng/file-%1").arg(n)));
            QCOMPARE(got.exitCode, 0);
            QVERIFY2(sha256(got.out) == sha256(uploadOf(n)), qPrintable(QString::number(n)));
        }
    }

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void uploadsArriveWhole_data()
    {
        QTest::addColumn<bool>("chunked");
        QTest::newRow("content-length") << false;
        QTest::newRow("chunked") << true;
    }
    void uploadsArriveWhole()
    {
        QFETCH(bool, chunked);
        const QString file = m_nginxDir.filePath(QStringLiteral("upload"));
        for (const int n : Sizes) {
            const QByteArray data = uploadOf(n);
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(data);
            out.close();
            QStringList args = via(QStringLiteral("http://py/sha"))
                + QStringList {QStringLiteral("--data-binary"), "@" + file};
            if (chunked)
                args << QStringLiteral("-H") << QStringLiteral("Transfer-Encoding: chunked");
            const auto got = runCurl(args);
            QCOMPARE(got.exitCode, 0);
            QCOMPARE(got.out, QByteArray::number(n) + " " + sha256(data));
            // (curl -T of an empty file with a chunked header sends no last chunk, even to nginx
            // directly: it waits forever.)
            if (!m_haveNginx || (chunked && n == 0))
                continue;
            // nginx keeps what it received in a file: the upload as the backend stored it.
            const QString name = QStringLiteral("up-%1-%2").arg(n).arg(chunked);
            QStringList put = via(QStringLiteral("http://ng/put/") + name)
                + QStringList {QStringLiteral("-T"), file, QStringLiteral("-f")};
            if (chunked)
                put << QStringLiteral("-H") << QStringLiteral("Transfer-Encoding: chunked");
            QCOMPARE(runCurl(put).exitCode, 0);
            QFile stored(m_nginxDir.filePath(QStringLiteral("www/put/") + name));
            QVERIFY(stored.open(QIODevice::ReadOnly));
            QVERIFY2(sha256(stored.readAll()) == sha256(data), qPrintable(name));
        }
    }

    void aPipeUploadWithExpectContinueArrivesWhole()
    {
        const QByteArray data = uploadOf(1000000);
        // curl -T - reads stdin: chunked, with "Expect: 100-continue".
        const auto got = runCurl(via(QStringLiteral("http://py/sha"))
                                     + QStringList {QStringLiteral("-T"), QStringLiteral("-"),
                                                    QStringLiteral("-X"), QStringLiteral("POST")},
                                 data);
        QCOMPARE(got.exitCode, 0);
        QCOMPARE(got.out, QByteArray("1000000 ") + sha256(data));
    }

    void headAndBodyInSeparateWritesAndTinyChunks()
    {
        const QByteArray data = uploadOf(65537);
        const std::string body = data.toStdString();
        const QByteArray expected = "65537 " + sha256(data);
        {
            RawSocket socket(m_mesh->local);
            QVERIFY(socket.send(
                "POST http://py/sha HTTP/1.1\r\nHost: py\r\nContent-Length: 65537\r\n\r\n"));
            std::this_thread::sleep_for(100ms);
            QVERIFY(socket.send(body.substr(0, 1)));
            std::this_thread::sleep_for(50ms);
            QVERIFY(socket.send(body.substr(1)));
            const auto answer = socket.readUntil(expected.toStdString(), 10s);
            QVERIFY2(answer.find(expected.toStdString()) != std::string::npos, answer.c_str());
        }
        {
            RawSocket socket(m_mesh->local);
            QVERIFY(socket.send(
                "POST http://py/sha HTTP/1.1\r\nHost: py\r\nTransfer-Encoding: chunked\r\n\r\n"));
            std::string wire;
            for (std::size_t at = 0, step = 1; at < body.size();
                 at += step, step = step % 9000 + 1) {
                const auto piece = body.substr(at, step);
                char size[16];
                std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
                wire += size + piece + "\r\n";
            }
            wire += "0\r\n\r\n";
            for (std::size_t at = 0; at < wire.size(); at += 7000) { // reads split everywhere
                QVERIFY(socket.send(wire.substr(at, 7000)));
                std::this_thread::sleep_for(2ms);
            }
            const auto answer = socket.readUntil(expected.toStdString(), 10s);
            QVERIFY2(answer.find(expected.toStdString()) != std::string::npos,
                     answer.substr(0, 300).c_str());
        }
    }

    void aTrickledResponseArrivesWhole()
    {
        const auto got = runCurl(via(QStringLiteral("http://py/bytes/0?mode=trickle")));
        QCOMPARE(got.exitCode, 0);
        QCOMPARE(got.out, QByteArray(500, 't'));
    }

    void aThousandMixedKeepAliveRequestsEachGetTheirOwnAnswer()
    {
        QProcess client;
        client.start(QStringLiteral("python3"),
                     {SupportDir + QStringLiteral("/mixed_client.py"),
                      QString::fromStdString(m_mesh->local.host),
                      QString::number(m_mesh->local.port), QStringLiteral("py"),
                      QStringLiteral("1000"), QStringLiteral("4"), QStringLiteral("12")});
        QVERIFY(client.waitForFinished(170000));
        const QString out
            = QString::fromUtf8(client.readAllStandardOutput() + client.readAllStandardError());
        QVERIFY2(out.startsWith(QStringLiteral("right 1000 wrong 0")), qPrintable(out));
    }

    void aResponseCutShortIsNeverPassedOnAsComplete()
    {
        // A reset, never an orderly end (which curl would take for the end of an HTTP/1.0 body).
        for (const char *path : {"http://py/cut/length", "http://py/cut/chunked"})
            for (const char *version : {"--http1.1", "--http1.0"}) {
                const auto got
                    = runCurl(via(QString::fromLatin1(path))
                              + QStringList {QString::fromLatin1(version), QStringLiteral("-o"),
                                             QStringLiteral("/dev/null")});
                QVERIFY2(got.exitCode == 56,
                         qPrintable(QStringLiteral("%1 %2: curl exit %3")
                                        .arg(path, version)
                                        .arg(got.exitCode)));
            }
        QVERIFY(m_mesh->sample({"response_total", "dst_service=\"py\"", "status_code=\"502\""})
                >= 4);
    }

    void aChunkedResponseReachesAnHttp10ClientDecoded()
    {
        const auto got
            = runCurl(via(QStringLiteral("http://py/bytes/100000?mode=chunked&chunk=777"))
                      + QStringList {QStringLiteral("--http1.0"), QStringLiteral("-w"),
                                     QStringLiteral("%{http_code} %header{x-body-sha256}")});
        QCOMPARE(got.exitCode, 0);
        const QByteArray body = got.out.left(100000);
        QCOMPARE(got.out.mid(100000), "200 " + sha256(body));
    }

    void aResponseFramedBadlyGets502WithTheCause()
    {
        const auto got = runCurl(via(QStringLiteral("http://py/badchunk"))
                                 + QStringList {QStringLiteral("-D"), QStringLiteral("-"),
                                                QStringLiteral("-o"), QStringLiteral("/dev/null")});
        QVERIFY2(got.out.startsWith("HTTP/1.1 502"), got.out.constData());
        QVERIFY2(
            got.out.contains("l5d-proxy-error: the workload sent a malformed response: chunk size"),
            got.out.constData());
    }

    void bytesAfterAResponseNeverReachTheNextClient()
    {
        for (int i = 0; i < 10; ++i) {
            QCOMPARE(runCurl(via(QStringLiteral("http://py/extra"))).out, QByteArray("ok"));
            const auto next
                = runCurl(via(QStringLiteral("http://py/bytes/5"))
                          + QStringList {QStringLiteral("-w"), QStringLiteral(" %{http_code}")});
            QVERIFY2(next.out.endsWith(" 200") && next.out.size() == 9, next.out.constData());
        }
    }

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void malformedRequestsGet400AtOnceAndReachNoBackend_data()
    {
        QTest::addColumn<QByteArray>("request");
        const QByteArray post
            = "POST http://py/sha HTTP/1.1\r\nHost: py\r\nTransfer-Encoding: chunked\r\n\r\n";
        QTest::newRow("chunk size of 18 digits") << post + "ffffffffffffffffff\r\nx\r\n0\r\n\r\n";
        QTest::newRow("negative chunk size") << post + "-5\r\nhello\r\n0\r\n\r\n";
        QTest::newRow("0x chunk size") << post + "0x5\r\nhello\r\n0\r\n\r\n";
        QTest::newRow("Content-Length twice")
            << QByteArray("POST http://py/sha HTTP/1.1\r\nHost: py\r\nContent-Length: "
                          "5\r\nContent-Length: 5\r\n\r\nhello");
        QTest::newRow("Content-Length 5,5") << QByteArray(
            "POST http://py/sha HTTP/1.1\r\nHost: py\r\nContent-Length: 5,5\r\n\r\nhello");
        QTest::newRow("HTTP/0.9") << QByteArray("GET /\r\n");
        QTest::newRow("bare LF") << QByteArray("GET http://py/count HTTP/1.1\nHost: py\n\n");
        QTest::newRow("garbage") << QByteArray(4096, '\x01');
        QTest::newRow("garbage letters") << QByteArray(4096, 'A');
        QTest::newRow("second Host")
            << QByteArray("GET /count HTTP/1.1\r\nHost: py\r\nHost: ng\r\n\r\n");
        QTest::newRow("non-UTF-8 host")
            << QByteArray("GET http://\xff/ HTTP/1.1\r\nHost: x\r\n\r\n");
    }
    void malformedRequestsGet400AtOnceAndReachNoBackend()
    {
        QFETCH(QByteArray, request);
        const int before = backendCount();
        bool closed = false;
        const auto answer = rawExchange(request.toStdString(), &closed);
        QVERIFY2(answer.starts_with("HTTP/1.1 400 "), answer.c_str());
        QVERIFY(answer.find("l5d-proxy-error:") != std::string::npos);
        QCOMPARE(backendCount(), before + 1); // only the count request itself
    }

    void onlyTheInboundProxySaysWhoCalled()
    {
        // A caller's own identity claim goes, in any spelling a server might fold into the same
        // key.
        const auto got
            = runCurl(via(QStringLiteral("http://py/headers"))
                      + QStringList {QStringLiteral("-H"),
                                     QStringLiteral("l5d_client_id: spiffe://evil/sa/admin"),
                                     QStringLiteral("-H"),
                                     QStringLiteral("L5D-Client-Id: spiffe://evil/sa/root")});
        QCOMPARE(got.exitCode, 0);
        QVERIFY2(!got.out.contains("evil"), got.out.constData());
        QVERIFY2(
            got.out.count("l5d-client-id: spiffe://mesh.local/ns/meshscope-local/sa/local-client")
                == 1,
            got.out.constData());
    }

    void meshdStaysUpAndUnhurt()
    {
        QCOMPARE(m_mesh->meshd->process().state(), QProcess::Running);
        QVERIFY(m_mesh->admin->get("/api/v1/topology").has_value());
    }
};

QTEST_GUILESS_MAIN(TestMeshdHttpIntegrity)
#include "tst_meshd_http_integrity.moc"
