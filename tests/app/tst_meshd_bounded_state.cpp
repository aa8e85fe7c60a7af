// What a client can make meshd keep is bounded, and the bound never starves the mesh's own
// services: a real meshd flooded with made-up host names (and a real service with made-up
// ports), and 32 taps that are opened and never read while traffic flows.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
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

namespace {

constexpr qint64 MaxRssKiB = 64 * 1024;
const QString Other = QStringLiteral("(other unknown names)");

// The resident memory of `pid`, in KiB (VmRSS), or -1.
qint64 rssKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const auto &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// Sends `count` requests spread over `threads` clients, each building its URL from the request's
// number; stops at the deadline. Returns how many got `expected`.
int sendAll(const meshcore::Address &proxy, int count, int threads, unsigned expected,
            const std::function<std::string(int)> &url, std::chrono::seconds deadline)
{
    std::atomic<int> answered {0};
    const auto end = std::chrono::steady_clock::now() + deadline;
    std::vector<std::thread> clients;
    for (int t = 0; t < threads; ++t)
        clients.emplace_back([&, t] {
            ProxyClient client(proxy);
            for (int i = t; i < count && std::chrono::steady_clock::now() < end; i += threads)
                if (client.get(url(i)).result_int() == expected)
                    ++answered;
        });
    for (auto &client : clients)
        client.join();
    return answered;
}

// Counts the samples of /metrics whose line contains every one of `parts`.
int samples(const QString &metrics, const QStringList &parts)
{
    int count = 0;
    for (const auto &line : metrics.split(QLatin1Char('\n'))) {
        bool all = !line.startsWith(QLatin1Char('#'));
        for (const auto &part : parts)
            all = all && line.contains(part);
        count += all ? 1 : 0;
    }
    return count;
}

// A client of GET /api/v1/tap that sends the request and then never reads a byte (with a
// small receive buffer, so that the kernel soon stops taking what meshd writes).
class DeafTap {
public:
    DeafTap(const meshcore::Address &admin, const std::string &token)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const int small = 4096;
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
        sockaddr_in sa {};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(admin.port);
        ::inet_pton(AF_INET, admin.host.c_str(), &sa.sin_addr);
        const std::string request = "GET /api/v1/tap HTTP/1.1\r\nHost: " + admin.toString()
            + "\r\nAuthorization: Bearer " + token + "\r\n\r\n";
        m_ok = ::connect(m_fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0
            && ::send(m_fd, request.data(), request.size(), MSG_NOSIGNAL)
                == static_cast<ssize_t>(request.size());
    }
    ~DeafTap() { ::close(m_fd); }
    DeafTap(const DeafTap &) = delete;
    DeafTap &operator=(const DeafTap &) = delete;
    bool ok() const { return m_ok; }

private:
    int m_fd = -1;
    bool m_ok = false;
};

QJsonArray topologyServices(const TestMesh &mesh)
{
    const auto text = mesh.admin->get("/api/v1/topology?window=60s").value_or("{}");
    return QJsonDocument::fromJson(QByteArray::fromStdString(text))
        .object()
        .value(QStringLiteral("services"))
        .toArray();
}

const QString Api = QStringLiteral("  - name: api\n"
                                   "    namespace: shop\n"
                                   "    versions: [{name: v1, replicas: %1}]\n");
const QString Web = QStringLiteral("  - name: web\n"
                                   "    namespace: shop\n"
                                   "    versions: [{name: v1, replicas: %1}]\n");

} // namespace

class TestMeshdBoundedState : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void madeUpNamesAreFoldedAndServicesKeepTheirSeries()
    {
        HttpBackend api;
        HttpBackend web;
        TestMesh mesh(Api.arg(replicas({&api})));
        QVERIFY(mesh.meshd);
        const auto pid = mesh.meshd->pid();
        const auto before = rssKiB(pid);

        // 20,000 names no service has (each 503 closes its connection: one connection each).
        constexpr int Names = 42000; // what the issue saw take meshd to 1.3 GB
        const int refused = sendAll(
            mesh.local, Names, 4, 503,
            [](int i) { return "http://name-" + std::to_string(i) + ".example/"; },
            std::chrono::seconds(90));
        QCOMPARE(refused, Names);
        // 12,000 requests to a real service, each with its own port, on keep-alive connections.
        constexpr int Ports = 12000;
        const int served = sendAll(
            mesh.local, Ports, 4, 200,
            [](int i) { return "http://api.shop:" + std::to_string(1 + i) + "/x"; },
            std::chrono::seconds(90));
        QCOMPARE(served, Ports);
        const auto after = rssKiB(pid);
        qInfo("meshd RSS %lld KiB before, %lld KiB after %d unknown names and %d ports", before,
              after, Names, Ports);
        QVERIFY2(after > 0 && after < MaxRssKiB, qPrintable(QString::number(after)));

        // The service still gets its series, and so does one added afterwards by a reload.
        ProxyClient client(mesh.local);
        QCOMPARE(client.get("http://api.shop/after").result_int(), 200u);
        QFile file(mesh.configFile);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(
            TestMesh::configFor(Api.arg(replicas({&api})) + Web.arg(replicas({&web}))).toUtf8());
        file.close();
        QVERIFY(mesh.admin->post("/api/v1/reload"));
        QVERIFY(QTest::qWaitFor(
            [&] { return client.get("http://web.shop/new").result_int() == 200; }, 10000));
        for (const auto &ofWeb : {QStringLiteral("dst_service=\"web\""),
                                  QStringLiteral("deployment=\"web-v1\",direction=\"inbound\"")}) {
            QVERIFY2(mesh.sample({QStringLiteral("request_total{"), ofWeb}) >= 1,
                     qPrintable(ofWeb));
            QVERIFY2(mesh.sample({QStringLiteral("response_total{"), ofWeb,
                                  QStringLiteral("status_code=\"200\"")})
                         >= 1,
                     qPrintable(ofWeb));
        }
        QVERIFY(
            mesh.sample({QStringLiteral("request_total{"), QStringLiteral("dst_service=\"api\"")})
            >= 1);

        // The first 100 names keep theirs, the others are counted together.
        const auto metrics = mesh.metrics();
        qInfo("/metrics: %lld bytes", static_cast<long long>(metrics.toUtf8().size()));
        QVERIFY2(metrics.toUtf8().size() < 1024 * 1024,
                 qPrintable(QString::number(metrics.toUtf8().size())));
        QCOMPARE(samples(metrics,
                         {QStringLiteral("request_total{"), QStringLiteral("authority=\"name-")}),
                 100);
        QCOMPARE(mesh.sample({QStringLiteral("request_total{"),
                              QStringLiteral("authority=\"%1\"").arg(Other)}),
                 double(Names - 100));
        QCOMPARE(mesh.sample({QStringLiteral("response_total{"),
                              QStringLiteral("authority=\"%1\"").arg(Other),
                              QStringLiteral("status_code=\"503\"")}),
                 double(Names - 100));
        // One authority per way of writing the service's name, whatever the port.
        QCOMPARE(samples(metrics,
                         {QStringLiteral("request_total{"), QStringLiteral("direction=\"inbound\""),
                          QStringLiteral("deployment=\"api-v1\"")}),
                 1);
        QCOMPARE(
            mesh.sample({QStringLiteral("request_total{"), QStringLiteral("direction=\"inbound\""),
                         QStringLiteral("authority=\"api.shop\"")}),
            double(Ports + 1)); // and the one after the reload

        // The topology: 100 names and the bucket.
        const auto services = topologyServices(mesh);
        int unknown = 0;
        double inOther = -1;
        for (const auto &value : services) {
            const auto service = value.toObject();
            const auto name = service.value(QStringLiteral("name")).toString();
            if (service.value(QStringLiteral("kind")).toString() == QStringLiteral("unknown")
                && (name.startsWith(QStringLiteral("name-")) || name == Other))
                ++unknown;
            if (service.value(QStringLiteral("name")).toString() == Other)
                inOther = service.value(QStringLiteral("requests")).toDouble();
        }
        QCOMPARE(unknown, 101);
        QVERIFY2(inOther > 0, qPrintable(QString::number(inOther))); // (those of the last 60 s)
        QVERIFY(services.size()
                <= 105); // and api, web, the local clients, web.shop before the reload

        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }

    void tapsThatAreNeverReadStayBounded()
    {
        HttpBackend api;
        TestMesh mesh(Api.arg(replicas({&api})));
        QVERIFY(mesh.meshd);
        const auto pid = mesh.meshd->pid();
        const auto token = *meshcore::admin::readAdminToken(mesh.state.stateDir());
        const auto before = rssKiB(pid);

        constexpr int Taps = 32;
        std::vector<std::unique_ptr<DeafTap>> taps;
        for (int i = 0; i < Taps; ++i) {
            taps.push_back(std::make_unique<DeafTap>(mesh.meshd->adminAddress(), token));
            QVERIFY(taps.back()->ok());
        }
        QVERIFY(QTest::qWaitFor(
            [&] { return mesh.sample({QStringLiteral("meshscope_tap_streams")}) == Taps; }, 5000));

        // Every request shows in every tap, each event with a 2 KB path.
        constexpr int Requests = 10000;
        const std::string padding(2000, 'p');
        const int served = sendAll(
            mesh.local, Requests, 4, 200,
            [&](int i) { return "http://api.shop/" + padding + "/" + std::to_string(i); },
            std::chrono::seconds(120));
        QCOMPARE(served, Requests);
        const auto open = rssKiB(pid);
        qInfo("meshd RSS %lld KiB before, %lld KiB with %d taps never read after %d requests",
              before, open, Taps, Requests);
        QVERIFY2(open > 0 && open < MaxRssKiB, qPrintable(QString::number(open)));
        QCOMPARE(mesh.sample({QStringLiteral("meshscope_tap_streams")}),
                 double(Taps)); // still open, never read

        taps.clear();
        QVERIFY(QTest::qWaitFor(
            [&] { return mesh.sample({QStringLiteral("meshscope_tap_streams")}) == 0; }, 5000));
        ProxyClient client(mesh.local);
        QCOMPARE(client.get("http://api.shop/after").result_int(), 200u);
        const auto closed = rssKiB(pid);
        qInfo("meshd RSS %lld KiB once they closed", closed);
        QVERIFY2(closed > 0 && closed < MaxRssKiB, qPrintable(QString::number(closed)));
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }

    void aTapThatIsReadLosesNothingToTheBound()
    {
        // A burst bigger than a tap may hold (2 MiB): a reader that keeps reading gets it all,
        // because meshd polls again at once while a poll's worth is waiting.
        HttpBackend api;
        TestMesh mesh(Api.arg(replicas({&api})));
        QVERIFY(mesh.meshd);
        meshcore::client::AdminClient::Options options;
        options.address = mesh.meshd->adminAddress();
        options.token = *meshcore::admin::readAdminToken(mesh.state.stateDir());
        std::atomic<int> lines {0};
        std::atomic<int> dropped {0};
        std::atomic<bool> stop {false};
        std::thread reader([&] {
            auto client = std::move(*meshcore::client::AdminClient::create(options));
            (void)client->streamLines(
                "/api/v1/tap?service=api",
                [&](std::string_view line) {
                    ++(line.find("\"kind\":\"dropped\"") != std::string_view::npos ? dropped
                                                                                   : lines);
                    return true;
                },
                [&] { return stop.load(); });
        });
        QVERIFY(QTest::qWaitFor(
            [&] { return mesh.sample({QStringLiteral("meshscope_tap_streams")}) == 1; }, 5000));
        constexpr int Requests = 3000;
        const std::string padding(1000, 'p');
        QCOMPARE(sendAll(
                     mesh.local, Requests, 4, 200,
                     [&](int i) { return "http://api.shop/" + padding + "/" + std::to_string(i); },
                     std::chrono::seconds(60)),
                 Requests);
        QVERIFY(QTest::qWaitFor([&] { return lines == Requests; }, 10000));
        stop = true;
        reader.join();
        QCOMPARE(dropped.load(), 0);
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }
};

QTEST_GUILESS_MAIN(TestMeshdBoundedState)
#include "tst_meshd_bounded_state.moc"
