// HTTP/2 through a real meshd, tested as an outsider would: grpcio's own server and nginx's h2c
// behind the mesh, grpcio's client, curl --http2-prior-knowledge and h2load in front, on upstream
// ports and inside a CONNECT tunnel. Every stream is balanced, split and timed out on its own,
// over multiplexed mTLS connections between the sidecars (ALPN h2), with the caller's identity.
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include <random>

#include "core/loopback.h"
#include "tests/support/test_mesh.h"

using namespace meshscope::testing;
using namespace std::chrono_literals;

namespace {

const QString SupportDir = QStringLiteral(MESHSCOPE_TEST_SUPPORT_DIR);
const QString Python = QStringLiteral("/usr/bin/python3"); // Debian's, with python3-grpcio
const QString LocalId = QStringLiteral("spiffe://mesh.local/ns/meshscope-local/sa/local-client");

quint16 freePort()
{
    const auto port = meshcore::freeLoopbackPort();
    return port ? *port : 0;
}

struct Run {
    int exitCode = -1;
    QByteArray out;
};

Run run(const QString &program, const QStringList &args, int timeoutMs = 120000,
        const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, args);
    Run result;
    if (!process.waitForStarted() || !process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    if (result.exitCode != 0)
        qInfo() << program << args << "exit" << result.exitCode << process.readAllStandardError();
    return result;
}

QByteArray grpc(quint16 port, const QStringList &args)
{
    return run(Python,
               QStringList {SupportDir + QStringLiteral("/grpc_mesh_client.py"),
                            QStringLiteral("127.0.0.1:%1").arg(port)}
                   + args)
        .out.trimmed();
}

Run curl(const QStringList &args)
{
    return run(QStringLiteral("curl"),
               QStringList {QStringLiteral("-sS"), QStringLiteral("--http2-prior-knowledge")}
                   + args);
}

QByteArray randomBytes(int size, unsigned seed)
{
    std::mt19937 generator(seed);
    QByteArray bytes(size, '\0');
    for (auto &byte : bytes)
        byte = static_cast<char>(generator());
    return bytes;
}

QByteArray sha256(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

} // namespace

class TestMeshdHttp2 : public QObject {
    Q_OBJECT

    std::unique_ptr<TestMesh> m_mesh;
    QTemporaryDir m_nginxDir;
    QProcess m_nginx;
    QByteArray m_big;
    quint16 m_grpcPort = 0; // the local upstream port of `grpc`
    quint16 m_filesPort = 0; // and of `files` (nginx)

    QString files(const QString &path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_filesPort).arg(path);
    }

    bool startNginx(quint16 port)
    {
        const QDir root(m_nginxDir.path());
        root.mkpath(QStringLiteral("www/put"));
        m_big = randomBytes(8 << 20, 3);
        for (const auto &[name, bytes] :
             {std::pair {QStringLiteral("www/big.bin"), m_big},
              std::pair {QStringLiteral("www/small.txt"), QByteArray("small\n")}}) {
            QFile file(root.filePath(name));
            if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
                return false;
        }
        QFile config(root.filePath(QStringLiteral("nginx.conf")));
        if (!config.open(QIODevice::WriteOnly))
            return false;
        config.write(
            QStringLiteral(
                "%1worker_processes 1;\nerror_log %2/error.log;\npid %2/nginx.pid;\n"
                "events {}\nhttp {\n  access_log off;\n  client_body_temp_path %2/body;\n"
                "  client_max_body_size 0;\n  proxy_temp_path %2/proxy;\n"
                "  fastcgi_temp_path %2/fcgi;\n  uwsgi_temp_path %2/uwsgi;\n"
                "  scgi_temp_path %2/scgi;\n  http2_max_requests 100000;\n"
                "  server {\n    listen 127.0.0.1:%3 http2;\n    root %2/www;\n"
                "    location /put/ { dav_methods PUT; create_full_put_path on; }\n"
                "  }\n}\n")
                .arg(::geteuid() == 0 ? QStringLiteral("user root;\n") : QString(), root.path())
                .arg(port)
                .toUtf8());
        config.close();
        m_nginx.start(QStringLiteral("nginx"),
                      {QStringLiteral("-c"), config.fileName(), QStringLiteral("-p"), root.path(),
                       QStringLiteral("-g"), QStringLiteral("daemon off;")});
        return m_nginx.waitForStarted();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (run(Python, {QStringLiteral("-c"), QStringLiteral("import grpc")}).exitCode != 0
            || QStandardPaths::findExecutable(QStringLiteral("nginx")).isEmpty()
            || QStandardPaths::findExecutable(QStringLiteral("h2load")).isEmpty())
            QSKIP("python3-grpcio, nginx and h2load are needed (scripts/install-deps.sh)");
        const auto nginxPort = freePort();
        m_grpcPort = freePort();
        m_filesPort = freePort();
        QVERIFY(nginxPort && m_grpcPort && m_filesPort);
        QVERIFY(startNginx(nginxPort));
        const auto server = QStringLiteral("{port: auto, command: \"exec %1 %2/grpc_echo_server.py "
                                           "$PORT %3\"}");
        m_mesh = std::make_unique<TestMesh>(
            QStringLiteral("  - name: grpc\n"
                           "    versions:\n"
                           "      - {name: v1, replicas: [%1]}\n"
                           "      - {name: v2, replicas: [%2]}\n"
                           "    split: [{version: v1, weight: 90}, {version: v2, weight: 10}]\n"
                           "    routes: [{name: slow, path: /test.Echo/Slow, timeout: 300ms}]\n"
                           "  - name: files\n"
                           "    versions: [{name: v1, replicas: [{port: %3}]}]\n"
                           "upstreams: [{service: grpc, port: %4}, {service: files, port: %5}]\n")
                .arg(server.arg(Python, SupportDir, QStringLiteral("v1")),
                     server.arg(Python, SupportDir, QStringLiteral("v2")))
                .arg(nginxPort)
                .arg(m_grpcPort)
                .arg(m_filesPort));
        QVERIFY(m_mesh->meshd && m_mesh->admin);
        QTRY_VERIFY_WITH_TIMEOUT(grpc(m_grpcPort, {QStringLiteral("who")}).startsWith("who "),
                                 30000);
    }

    void cleanupTestCase()
    {
        m_nginx.terminate();
        m_nginx.waitForFinished();
    }

    // grpcio's client to grpcio's server: the workload is told who called (the local client's
    // identity, from mTLS), a 1 MiB message comes back whole, a status comes through as sent.
    void grpcCallsThroughTheMesh()
    {
        QCOMPARE(grpc(m_grpcPort, {QStringLiteral("who")}), ("who " + LocalId).toUtf8());
        QCOMPARE(grpc(m_grpcPort, {QStringLiteral("big")}), QByteArray("big ok"));
        QCOMPARE(grpc(m_grpcPort, {QStringLiteral("fail")}),
                 QByteArray("status NOT_FOUND no such thing"));
        QVERIFY(m_mesh->sample({QStringLiteral("request_total{"),
                                QStringLiteral("direction=\"inbound\""),
                                QStringLiteral("deployment=\"grpc-v1\""),
                                QStringLiteral("client_id=\"%1\"").arg(LocalId)})
                >= 1);
    }

    // 2,000 calls on one gRPC channel (one HTTP/2 connection) follow the 90/10 split call by
    // call, where a per-connection balancer would send them all to one version; and the
    // sidecars carried them on a few multiplexed connections, not one per call.
    void theSplitAppliesPerStream()
    {
        const auto counts = QString::fromUtf8(
            grpc(m_grpcPort, {QStringLiteral("count"), QStringLiteral("2000")}));
        const QRegularExpression shape(QStringLiteral("^v1=(\\d+) v2=(\\d+)$"));
        const auto match = shape.match(counts);
        QVERIFY2(match.hasMatch(), qPrintable(counts));
        const int v2 = match.captured(2).toInt();
        QCOMPARE(match.captured(1).toInt() + v2, 2000);
        QVERIFY2(v2 >= 140 && v2 <= 260, qPrintable(counts)); // 10 % +- 3 %
        const auto hops = m_mesh->sample({QStringLiteral("tcp_open_total{"),
                                          QStringLiteral("direction=\"inbound\""),
                                          QStringLiteral("deployment=\"grpc-v1\""),
                                          QStringLiteral("client_id=\"%1\"").arg(LocalId)});
        QVERIFY2(hops >= 1 && hops <= 10, qPrintable(QString::number(hops)));
    }

    // The route's 300 ms timeout ends a 2 s call: the stream upstream is cancelled and the
    // client gets the proxy's 504 (grpcio reads it as UNAVAILABLE).
    void aRouteTimeoutEndsTheStream()
    {
        QCOMPARE(grpc(m_grpcPort, {QStringLiteral("slow")}), QByteArray("status UNAVAILABLE"));
        QVERIFY(m_mesh->sample({QStringLiteral("outbound_http_route_request_statuses_total{"),
                                QStringLiteral("error=\"timeout\""),
                                QStringLiteral("route_name=\"slow\"")})
                >= 1);
    }

    // curl's h2c to nginx's h2c through the mesh: an 8 MiB file, and a 20 MiB PUT and back.
    void curlToNginx()
    {
        const auto got = curl({files(QStringLiteral("/big.bin"))});
        QCOMPARE(got.exitCode, 0);
        QCOMPARE(sha256(got.out), sha256(m_big));
        QTemporaryDir dir;
        const auto upload = randomBytes(20 << 20, 4);
        QFile file(dir.filePath(QStringLiteral("up.bin")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(upload);
        file.close();
        const auto put
            = curl({QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"),
                    QStringLiteral("%{http_code}"), QStringLiteral("-T"), file.fileName(),
                    files(QStringLiteral("/put/up.bin"))});
        QCOMPARE(put.out, QByteArray("201"));
        const auto back = curl({files(QStringLiteral("/put/up.bin"))});
        QCOMPARE(sha256(back.out), sha256(upload));
    }

    // 256 streams at once, more than one h2 connection between the sidecars takes (100): the
    // pool opens more, and the streams that wait for them get their turn.
    void h2loadThroughTheMesh()
    {
        const auto result = run(QStringLiteral("h2load"),
                                {QStringLiteral("-n"), QStringLiteral("10000"),
                                 QStringLiteral("-c"), QStringLiteral("4"), QStringLiteral("-m"),
                                 QStringLiteral("64"), files(QStringLiteral("/small.txt"))});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.contains("10000 succeeded, 0 failed, 0 errored"),
                 result.out.constData());
    }

    // grpcio honours http_proxy with CONNECT: its channel to grpc:80 goes through 4140's tunnel,
    // and its calls are split and told who called (the local clients' identity) as on a port.
    void grpcThroughHttpProxy()
    {
        auto environment = QProcessEnvironment::systemEnvironment();
        environment.remove(QStringLiteral("no_proxy"));
        environment.remove(QStringLiteral("NO_PROXY"));
        environment.insert(
            QStringLiteral("http_proxy"),
            QStringLiteral("http://%1").arg(QString::fromStdString(m_mesh->local.toString())));
        const auto script = SupportDir + QStringLiteral("/grpc_mesh_client.py");
        const auto who = run(Python, {script, QStringLiteral("grpc:80"), QStringLiteral("who")},
                             60000, environment);
        QCOMPARE(who.out.trimmed(), ("who " + LocalId).toUtf8());
        const auto counts = run(
            Python,
            {script, QStringLiteral("grpc:80"), QStringLiteral("count"), QStringLiteral("200")},
            60000, environment);
        QVERIFY2(counts.out.startsWith("v1=") && counts.out.contains(" v2="),
                 counts.out.constData());
    }

    // gRPC and Go clients reach a proxy by CONNECT: the tunnel's h2c is detected and carried.
    void h2cInsideAConnectTunnel()
    {
        const auto got = curl(
            {QStringLiteral("-p"), QStringLiteral("-x"),
             QStringLiteral("http://%1").arg(QString::fromStdString(m_mesh->local.toString())),
             QStringLiteral("http://files:80/small.txt")});
        QCOMPARE(got.exitCode, 0);
        QCOMPARE(got.out, QByteArray("small\n"));
    }
};

QTEST_GUILESS_MAIN(TestMeshdHttp2)
#include "tst_meshd_http2.moc"
