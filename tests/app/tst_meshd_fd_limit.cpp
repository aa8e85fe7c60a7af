// meshd out of file descriptors: a real meshd under a low RLIMIT_NOFILE, flooded with idle client
// connections on its outbound proxy. It says so once per burst, refuses the excess with a reset
// instead of leaving clients hanging, keeps answering /healthz, and serves again once they leave.
#include <QDeadlineTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

#include <arpa/inet.h>
#include <cerrno>
#include <csignal>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client/admin_client.h"
#include "tests/support/http_backend.h"
#include "tests/support/meshd_process.h"
#include "tests/support/proxy_client.h"
#include "tests/support/temp_state.h"

using meshscope::testing::HttpBackend;
using meshscope::testing::MeshdProcess;
using meshscope::testing::ProxyClient;
using meshscope::testing::TempState;

namespace {

constexpr int MeshdLimit = 256; // soft and hard: meshd cannot raise it
constexpr int Flood = 400; // idle connections, well over the limit
constexpr int Bursts = 2;

// An idle TCP connection to `address` (connected once the kernel queued it), closed on destruction.
class IdleConnection {
public:
    explicit IdleConnection(const meshcore::Address &address)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in sa {};
        sa.sin_family = AF_INET;
        sa.sin_port = htons(address.port);
        ::inet_pton(AF_INET, address.host.c_str(), &sa.sin_addr);
        m_connected = ::connect(m_fd, reinterpret_cast<sockaddr *>(&sa), sizeof sa) == 0;
    }
    ~IdleConnection() { ::close(m_fd); }
    IdleConnection(const IdleConnection &) = delete;
    IdleConnection &operator=(const IdleConnection &) = delete;
    bool connected() const { return m_connected; }
    // Whether meshd let go of it: a reset or a close arrived (nothing was sent, so nothing else
    // can).
    bool refused() const
    {
        char byte;
        const auto n = ::recv(m_fd, &byte, 1, MSG_DONTWAIT);
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
    }

private:
    int m_fd = -1;
    bool m_connected = false;
};

bool healthy(const meshcore::Address &admin)
{
    meshcore::client::AdminClient::Options options;
    options.address = admin;
    options.requestTimeout = std::chrono::milliseconds(2000);
    auto client = meshcore::client::AdminClient::create(options);
    return client && (*client)->healthz().has_value();
}

// What meshd printed so far, read as it comes.
class Output {
public:
    explicit Output(MeshdProcess &meshd)
        : m_meshd(meshd)
        , m_text(meshd.output())
    {
    }
    const QString &text()
    {
        m_meshd.process().waitForReadyRead(20);
        m_text += QString::fromUtf8(m_meshd.process().readAll());
        return m_text;
    }
    int count(const QString &line) { return static_cast<int>(text().count(line)); }

private:
    MeshdProcess &m_meshd;
    QString m_text;
};

} // namespace

class TestMeshdFdLimit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // The test itself holds the flood: it needs the descriptors meshd does not get.
        rlimit own {};
        ::getrlimit(RLIMIT_NOFILE, &own);
        own.rlim_cur = own.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &own);
        if (own.rlim_cur < rlim_t(Flood + 200))
            QSKIP("the hard open-file limit is too low for the flood");
    }

    void runningOutIsSaidOnceABurstAndHealthzStillAnswers()
    {
        HttpBackend backend;
        TempState state;
        const QString config = state.path(QStringLiteral("mesh.yaml"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral("mesh: {name: shop}\nservices:\n"
                                  "  - {name: api, namespace: shop, versions: [{name: v1, "
                                  "replicas: [{port: %1}]}]}\n")
                       .arg(backend.address().port)
                       .toUtf8());
        file.close();
        auto meshd = MeshdProcess::start(
            state.stateDirQString(),
            {QStringLiteral("--config"), config, QStringLiteral("--workers"), QStringLiteral("1")},
            MeshdLimit);
        QVERIFY(meshd);
        Output output(*meshd);
        QVERIFY2(
            output.text().contains(QStringLiteral("meshd: open file limit %1\n").arg(MeshdLimit)),
            qPrintable(output.text()));
        const auto match
            = QRegularExpression(QStringLiteral("outbound proxy for local clients on (\\S+)"))
                  .match(output.text());
        const auto local = meshcore::parseAddress(match.captured(1).toStdString());
        QVERIFY(local);
        const QString outLine
            = QStringLiteral(
                  "meshd: out of file descriptors (limit %1): refusing connections on %2 until "
                  "some close; raise `ulimit -n`\n")
                  .arg(MeshdLimit)
                  .arg(match.captured(1));
        const QString backLine
            = QStringLiteral(
                  "meshd: file descriptors available again: accepting connections on %1 (")
                  .arg(match.captured(1));
        ProxyClient client(*local);
        QCOMPARE(client.get("http://api.shop/").result_int(), 200u);

        for (int burst = 1; burst <= Bursts; ++burst) {
            std::vector<std::unique_ptr<IdleConnection>> flood;
            for (int i = 0; i < Flood; ++i) {
                flood.push_back(std::make_unique<IdleConnection>(*local));
                QVERIFY(flood.back()->connected());
            }
            // The excess is refused with a reset, at once rather than left waiting: at least
            // the connections over the limit.
            QDeadlineTimer deadline(10000);
            int refused = 0;
            while (!deadline.hasExpired()) {
                refused = static_cast<int>(std::count_if(
                    flood.begin(), flood.end(), [](const auto &c) { return c->refused(); }));
                if (refused >= Flood - MeshdLimit && output.count(outLine) == burst)
                    break;
                QTest::qWait(100);
            }
            QVERIFY2(refused >= Flood - MeshdLimit, qPrintable(QString::number(refused)));
            QVERIFY2(refused < Flood, "meshd should still hold the connections it accepted");
            QCOMPARE(output.count(outLine), burst);
            QVERIFY2(healthy(meshd->adminAddress()),
                     "/healthz must answer while the proxy is out of descriptors");

            // The clients leave; requests are served again, and meshd says it is over (on the
            // first connection accepted after a quiet second: a new client each time).
            flood.clear();
            int status = 0;
            deadline.setRemainingTime(10000);
            while (!deadline.hasExpired() && (status != 200 || output.count(backLine) < burst)) {
                status = static_cast<int>(ProxyClient(*local).get("http://api.shop/").result_int());
                QTest::qWait(200);
            }
            QCOMPARE(status, 200);
            QCOMPARE(output.count(backLine), burst);
            QCOMPARE(output.count(outLine), burst); // once per burst, not once per refusal
        }
        QVERIFY(output.text().contains(QRegularExpression(QStringLiteral(
            "available again: accepting connections on \\S+ \\((\\d+) refused while out\\)"))));
        QCOMPARE(meshd->stop(SIGTERM), 0);
    }

    // meshd raises its own soft limit, but the workloads it starts get the one it was started
    // with: programs that use select() break past descriptor 1024.
    void workloadsGetTheLimitMeshdWasStartedWith()
    {
        rlimit own {};
        ::getrlimit(RLIMIT_NOFILE, &own);
        if (own.rlim_max <= 1024)
            QSKIP("the hard open-file limit leaves nothing to raise");
        TempState state;
        const QString config = state.path(QStringLiteral("mesh.yaml"));
        const QString seen = state.path(QStringLiteral("workload-limit"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            QStringLiteral("mesh: {name: shop}\nservices:\n"
                           "  - {name: api, namespace: shop, versions: [{name: v1, replicas: "
                           "[{port: auto, command: \"ulimit -n > %1; exec sleep 30\"}]}]}\n")
                .arg(seen)
                .toUtf8());
        file.close();
        auto meshd = MeshdProcess::start(state.stateDirQString(),
                                         {QStringLiteral("--config"), config}, -1024);
        QVERIFY(meshd);
        QVERIFY(meshd->output().contains(QStringLiteral("raised from 1024")));
        QFile limit(seen);
        QVERIFY(QTest::qWaitFor([&] { return limit.exists() && limit.size() > 0; }, 10000));
        QVERIFY(limit.open(QIODevice::ReadOnly));
        QCOMPARE(limit.readAll().trimmed(), QByteArray("1024"));
        QCOMPARE(meshd->stop(SIGTERM), 0);
    }
};

QTEST_GUILESS_MAIN(TestMeshdFdLimit)
#include "tst_meshd_fd_limit.moc"
