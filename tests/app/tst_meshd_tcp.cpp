// Opaque TCP through a real meshd, tested as an outsider would: supervised redis-servers behind
// the mesh, driven by redis-cli and raw sockets through upstream ports and CONNECT tunnels, under
// `protocol: tcp` and under detection. Every hop between the sidecars is checked to be mTLS with
// the right identities, from the metrics.
#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <csignal>

#include "core/loopback.h"
#include "tests/support/raw_socket.h"
#include "tests/support/test_mesh.h"

using namespace meshscope::testing;
using namespace std::chrono_literals;

namespace {

const QString WebId = QStringLiteral("spiffe://mesh.local/ns/default/sa/web");
const QString LocalId = QStringLiteral("spiffe://mesh.local/ns/meshscope-local/sa/local-client");
const QString Redis = QStringLiteral(
    "{port: auto, command: \"exec redis-server --port $PORT --bind 127.0.0.1 --save '' "
    "--appendonly no\"}");

quint16 freePort()
{
    const auto port = meshcore::freeLoopbackPort();
    return port ? *port : 0;
}

struct CliRun {
    int exitCode = -1;
    QByteArray out;
};

// redis-cli against 127.0.0.1:`port`, `input` on its standard input.
CliRun redisCli(quint16 port, const QStringList &args, const QByteArray &input = {})
{
    QProcess cli;
    cli.start(QStringLiteral("redis-cli"),
              QStringList {QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                           QString::number(port)}
                  + args);
    if (!cli.waitForStarted(5000))
        return {};
    cli.write(input);
    cli.closeWriteChannel();
    if (!cli.waitForFinished(30000)) {
        cli.kill();
        cli.waitForFinished();
        return {};
    }
    return {cli.exitCode(), cli.readAllStandardOutput()};
}

meshcore::Address loopback(quint16 port)
{
    return {"127.0.0.1", port};
}

} // namespace

class TestMeshdTcp : public QObject {
    Q_OBJECT

    std::unique_ptr<TestMesh> m_mesh;
    quint16 m_redisPort = 0; // protocol: tcp
    quint16 m_detectPort = 0; // the same, detected
    quint16 m_cachePort = 0; // two replicas, one of them dead
    quint16 m_deadPort = 0;
    quint16 m_gonePort = 0; // one replica, dead
    quint16 m_goneReplicaPort = 0;

    QJsonObject workload(const QString &pod) const
    {
        const auto body = m_mesh->admin->get("/api/v1/workloads").value_or("");
        for (const auto w : QJsonDocument::fromJson(QByteArray::fromStdString(body))
                                .object()
                                .value(QStringLiteral("workloads"))
                                .toArray())
            if (w.toObject().value(QStringLiteral("pod")).toString() == pod)
                return w.toObject();
        return {};
    }
    // The port of `pod`'s upstream for `service`, as the admin API lists it.
    quint16 upstreamPort(const QString &pod, const QString &service) const
    {
        for (const auto u : workload(pod).value(QStringLiteral("upstreams")).toArray())
            if (u.toObject().value(QStringLiteral("service")).toString() == service)
                return meshcore::parseAddress(
                           u.toObject().value(QStringLiteral("address")).toString().toStdString())
                    .value_or(meshcore::Address {})
                    .port;
        return 0;
    }
    // The inbound side of `deployment` counted a TCP connection from `client`, over mTLS.
    double inboundFrom(const QString &deployment, const QString &client) const
    {
        return m_mesh->sample(
            {QStringLiteral("tcp_open_total{"), QStringLiteral("direction=\"inbound\""),
             QStringLiteral("deployment=\"%1\"").arg(deployment), QStringLiteral("peer=\"src\""),
             QStringLiteral("tls=\"true\""), QStringLiteral("client_id=\"%1\"").arg(client)});
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("redis-server")).isEmpty()
            || QStandardPaths::findExecutable(QStringLiteral("redis-cli")).isEmpty())
            QSKIP("redis-server and redis-cli are not installed (scripts/install-deps.sh does)");
        m_redisPort = freePort();
        m_detectPort = freePort();
        m_cachePort = freePort();
        m_deadPort = freePort();
        m_gonePort = freePort();
        m_goneReplicaPort = freePort();
        QVERIFY(m_redisPort && m_detectPort && m_cachePort && m_deadPort && m_gonePort
                && m_goneReplicaPort);
        m_mesh = std::make_unique<TestMesh>(
            QStringLiteral("  - name: redis\n"
                           "    protocol: tcp\n"
                           "    versions: [{name: v1, replicas: [%1]}]\n"
                           "  - name: redisd\n"
                           "    versions: [{name: v1, replicas: [%1]}]\n"
                           "  - name: cache\n"
                           "    protocol: tcp\n"
                           "    versions: [{name: v1, replicas: [%1, {port: %2}]}]\n"
                           "  - name: gone\n"
                           "    protocol: tcp\n"
                           "    versions: [{name: v1, replicas: [{port: %6}]}]\n"
                           "  - name: web\n"
                           "    upstreams: [redisd, redis]\n"
                           "    versions: [{name: v1, replicas: [{port: auto, command: \"exec "
                           "/usr/bin/python3 -m http.server --bind 127.0.0.1 $PORT\"}]}]\n"
                           "upstreams: [{service: redis, port: %3}, {service: redisd, port: %4}, "
                           "{service: cache, port: %5}, {service: gone, port: %7}]\n")
                .arg(Redis)
                .arg(m_deadPort)
                .arg(m_redisPort)
                .arg(m_detectPort)
                .arg(m_cachePort)
                .arg(m_goneReplicaPort)
                .arg(m_gonePort));
        QVERIFY(m_mesh->meshd && m_mesh->admin);
        QTRY_VERIFY_WITH_TIMEOUT(redisCli(m_redisPort, {QStringLiteral("PING")}).out == "PONG\n",
                                 20000);
        QTRY_VERIFY_WITH_TIMEOUT(redisCli(m_detectPort, {QStringLiteral("PING")}).out == "PONG\n",
                                 20000);
    }

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void redisCliThroughTheMesh_data()
    {
        QTest::addColumn<bool>("detected");
        QTest::newRow("protocol: tcp") << false;
        QTest::newRow("detected") << true;
    }
    // redis-cli's own RESP through a local upstream port: a 1 MiB value both ways intact, 10,000
    // pipelined commands, and mTLS from the local clients' identity to redis' own.
    void redisCliThroughTheMesh()
    {
        QFETCH(bool, detected);
        const auto port = detected ? m_detectPort : m_redisPort;
        const QString service = detected ? QStringLiteral("redisd") : QStringLiteral("redis");
        QByteArray value(1 << 20, '\0');
        for (int i = 0; i < value.size(); ++i)
            value[i] = char('a' + (i * 7919) % 26);
        const auto set = redisCli(
            port, {QStringLiteral("-x"), QStringLiteral("SET"), QStringLiteral("big")}, value);
        QCOMPARE(set.out, QByteArray("OK\n"));
        const auto got = redisCli(port, {QStringLiteral("GET"), QStringLiteral("big")});
        QCOMPARE(got.out.size(), value.size() + 1);
        QCOMPARE(QCryptographicHash::hash(got.out.chopped(1), QCryptographicHash::Sha256),
                 QCryptographicHash::hash(value, QCryptographicHash::Sha256));

        QByteArray commands;
        for (int i = 0; i < 10000; ++i)
            commands += QByteArray("SET key") + QByteArray::number(i) + " v\r\n";
        const auto pipe = redisCli(port, {QStringLiteral("--pipe")}, commands);
        QVERIFY2(pipe.out.contains("errors: 0, replies: 10000"), pipe.out.constData());

        QVERIFY(inboundFrom(service + QStringLiteral("-v1"), LocalId) >= 1);
        QVERIFY(m_mesh->sample({QStringLiteral("tcp_connection_duration_ms_count{"),
                                QStringLiteral("direction=\"inbound\""),
                                QStringLiteral("deployment=\"%1-v1\"").arg(service),
                                QStringLiteral("errno=\"\"")})
                >= 1);
        QVERIFY(
            m_mesh->sample(
                {QStringLiteral("tcp_open_total{"), QStringLiteral("direction=\"outbound\""),
                 QStringLiteral("peer=\"dst\""), QStringLiteral("tls=\"true\""),
                 QStringLiteral("dst_service=\"%1\"").arg(service),
                 QStringLiteral("server_id=\"spiffe://mesh.local/ns/default/sa/%1\"").arg(service)})
            >= 1);
    }

    // A workload's own upstream port: redis sees the caller as web.
    void aWorkloadsUpstreamPortCallsAsTheWorkload()
    {
        const auto port = upstreamPort(QStringLiteral("web-v1-0"), QStringLiteral("redis"));
        QVERIFY(port != 0);
        QCOMPARE(redisCli(port, {QStringLiteral("PING")}).out, QByteArray("PONG\n"));
        QVERIFY(inboundFrom(QStringLiteral("redis-v1"), WebId) >= 1);
    }

    // A client that sends everything and half-closes still reads every reply (TLS close_notify
    // one way between the sidecars, FIN at the ends).
    void aHalfClosedClientGetsEveryReply()
    {
        for (const auto port : {m_redisPort, m_detectPort}) {
            RawSocket socket(loopback(port));
            QVERIFY(socket.connected());
            std::string pings;
            for (int i = 0; i < 1000; ++i)
                pings += "PING\r\n";
            QVERIFY(socket.send(pings + "DBSIZE\r\n"));
            socket.shutdownWrite();
            bool closed = false;
            const auto replies = socket.readUntil({}, 10s, &closed);
            QVERIFY(closed);
            std::size_t pongs = 0;
            for (auto at = replies.find("+PONG\r\n"); at != std::string::npos;
                 at = replies.find("+PONG\r\n", at + 1))
                ++pongs;
            QCOMPARE(pongs, std::size_t(1000));
            QVERIFY(replies.ends_with("\r\n") && replies.find(':') != std::string::npos);
        }
    }

    // CONNECT through the local clients' proxy, then RESP inside: detected as opaque (or taken
    // as such for a `tcp` service).
    void connectTunnelCarriesRedis()
    {
        for (const auto *service : {"redis", "redisd"}) {
            RawSocket socket(m_mesh->local);
            QVERIFY(socket.send(std::string("CONNECT ") + service
                                + ":6379 HTTP/1.1\r\nHost: " + service + ":6379\r\n\r\n"));
            const auto established = socket.readUntil("\r\n\r\n", 5s);
            QVERIFY2(established.starts_with("HTTP/1.1 200"), established.c_str());
            QVERIFY(socket.send("*1\r\n$4\r\nPING\r\n"));
            QCOMPARE(socket.readUntil("\r\n", 5s), std::string("+PONG\r\n"));
        }
    }

    // A subscriber waits with nothing to say; a message published later still reaches it.
    void aQuietSubscriberGetsLaterMessages() const
    {
        RawSocket subscriber(loopback(m_redisPort));
        QVERIFY(subscriber.send("SUBSCRIBE news\r\n"));
        QVERIFY(subscriber.readUntil(":1\r\n", 5s).find("subscribe") != std::string::npos);
        QTest::qWait(300);
        QCOMPARE(redisCli(m_detectPort, {QStringLiteral("PING")}).out, QByteArray("PONG\n"));
        QCOMPARE(
            redisCli(m_redisPort,
                     {QStringLiteral("PUBLISH"), QStringLiteral("news"), QStringLiteral("hello")})
                .out,
            QByteArray("1\n"));
        QVERIFY(subscriber.readUntil("hello", 5s).find("hello") != std::string::npos);
    }

    // The topology shows the local clients' TCP edge to redis: the connection held open, and
    // the bytes of the last minute.
    void theTopologyShowsTheTcpEdge()
    {
        RawSocket held(loopback(m_redisPort));
        QVERIFY(held.send("PING\r\n"));
        QCOMPARE(held.readUntil("\r\n", 5s), std::string("+PONG\r\n"));
        const auto topology = m_mesh->admin->topology();
        QVERIFY(topology);
        const meshcore::admin::TopologyEdge *edge = nullptr;
        for (const auto &e : topology->edges)
            if (e.sourceService == "local-client" && e.destinationService == "redis")
                edge = &e;
        QVERIFY(edge);
        QVERIFY(edge->mtls);
        QCOMPARE(edge->protocols, std::vector<std::string> {"tcp"});
        QVERIFY(edge->tcp);
        QVERIFY(edge->tcp->openConnections >= 1);
        QVERIFY(edge->tcp->sentBytesPerSecond > 0);
        QVERIFY(edge->tcp->receivedBytesPerSecond > 0);
        QCOMPARE(edge->destinationIdentity, std::string("spiffe://mesh.local/ns/default/sa/redis"));
    }

    // One of cache's two replicas has no process: its sidecar says so before a byte is sent, and
    // the client's sidecar tries the other. Every connection works.
    void aDeadReplicaIsSkipped() const
    {
        int pongs = 0;
        for (int i = 0; i < 30; ++i)
            pongs += redisCli(m_cachePort, {QStringLiteral("PING")}).out == "PONG\n" ? 1 : 0;
        QCOMPARE(pongs, 30);
    }

    // A service whose only replica has no process: each client connection is reset, the
    // refusal is counted with its errno, and after 7 in a row failure accrual ejects the replica.
    void aServiceWithNoLiveReplicaResetsAndEjects()
    {
        for (int i = 0; i < 9; ++i) {
            RawSocket socket(loopback(m_gonePort));
            // Once ejected, the reset may come before the send, which then takes the error.
            const bool sent = socket.send("PING\r\n");
            bool closed = false;
            bool reset = false;
            QCOMPARE(socket.readUntil({}, 5s, &closed, &reset), std::string());
            QVERIFY(closed);
            QVERIFY(reset || !sent); // not an end of stream the client could take for an answer
        }
        const auto gone = workload(QStringLiteral("gone-v1-0"));
        QVERIFY2(gone.value(QStringLiteral("balancer"))
                         .toObject()
                         .value(QStringLiteral("ejections"))
                         .toInt()
                     >= 1,
                 QJsonDocument(gone).toJson().constData());
        QVERIFY(m_mesh->sample(
                    {QStringLiteral("tcp_close_total{"), QStringLiteral("direction=\"inbound\""),
                     QStringLiteral("pod=\"gone-v1-0\""), QStringLiteral("errno=\"ECONNREFUSED\"")})
                >= 7);
        QVERIFY(m_mesh->sample(
                    {QStringLiteral("tcp_close_total{"), QStringLiteral("direction=\"outbound\""),
                     QStringLiteral("peer=\"src\""), QStringLiteral("errno=\"ECONNREFUSED\"")})
                >= 7);
        QVERIFY(m_mesh->sample(
                    {QStringLiteral("tcp_close_total{"), QStringLiteral("direction=\"outbound\""),
                     QStringLiteral("peer=\"src\""), QStringLiteral("errno=\"EHOSTUNREACH\"")})
                >= 1); // the connections after the ejection: nothing was tried
    }

    // meshd stopping: an open connection (a subscriber waiting) is closed as an end of stream,
    // not reset. (Last: meshd stays stopped. Started again, it could find one of its fixed
    // upstream ports taken meanwhile by another test's outgoing connection: they are ephemeral.)
    void aShutdownClosesOpenConnectionsCleanly()
    {
        RawSocket subscriber(loopback(m_redisPort));
        QVERIFY(subscriber.send("SUBSCRIBE news\r\n"));
        QVERIFY(subscriber.readUntil(":1\r\n", 5s).find("subscribe") != std::string::npos);
        QTest::qWait(300); // waiting, as subscribers do (one stopped mid-traffic is reset)
        QCOMPARE(m_mesh->meshd->stop(SIGTERM), 0);
        bool closed = false;
        bool reset = false;
        subscriber.readUntil({}, 10s, &closed, &reset);
        QVERIFY(closed);
        QVERIFY(!reset);
    }
};

QTEST_GUILESS_MAIN(TestMeshdTcp)
#include "tst_meshd_tcp.moc"
