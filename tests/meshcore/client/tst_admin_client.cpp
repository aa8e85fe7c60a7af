#include <QElapsedTimer>
#include <QTest>

#include "admin/admin_token.h"
#include "client/admin_client.h"
#include "tests/support/meshd_process.h"
#include "tests/support/raw_socket.h"
#include "tests/support/temp_state.h"

using meshcore::ErrorCode;
using meshcore::client::AdminClient;
using namespace std::chrono_literals;

namespace {
std::unique_ptr<AdminClient> clientFor(const meshcore::Address &address, std::string token = {},
                                       std::chrono::milliseconds timeout = 2000ms)
{
    AdminClient::Options options;
    options.address = address;
    options.token = std::move(token);
    options.connectTimeout = 500ms;
    options.requestTimeout = timeout;
    return std::move(*AdminClient::create(options));
}
} // namespace

class TestAdminClient : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void meshdDownIsAClearErrorRightAway()
    {
        const auto address = meshscope::testing::unusedLoopbackAddress();
        auto client = clientFor(address);
        QElapsedTimer timer;
        timer.start();
        const auto version = client->version();
        QVERIFY(!version);
        QCOMPARE(version.error().code, ErrorCode::ConnectionRefused);
        QVERIFY(version.error().message.find(address.toString()) != std::string::npos);
        QVERIFY(version.error().message.find("is meshd running") != std::string::npos);
        QVERIFY2(timer.elapsed() < 2000, "a refused connection must not wait for a timeout");
    }

    void aHungMeshdTimesOutInsteadOfHanging()
    {
        meshscope::testing::SilentListener silent;
        auto client = clientFor(silent.address(), {}, 700ms);
        QElapsedTimer timer;
        timer.start();
        const auto health = client->healthz();
        QVERIFY(!health);
        QCOMPARE(health.error().code, ErrorCode::Timeout);
        QVERIFY(timer.elapsed() >= 600);
        QVERIFY2(timer.elapsed() < 5000, "the request deadline must hold");
    }

    void talksToARealMeshd()
    {
        meshscope::testing::TempState state;
        auto meshd = meshscope::testing::MeshdProcess::start(state.stateDirQString());
        QVERIFY(meshd);
        const auto token = meshcore::admin::readAdminToken(state.stateDir());
        QVERIFY(token);

        auto client = clientFor(meshd->adminAddress(), *token);
        const auto health = client->healthz();
        QVERIFY(health);
        QVERIFY(health->ok);
        const auto version = client->version();
        QVERIFY2(version, version ? "" : version.error().message.c_str());
        QCOMPARE(version->mesh, std::string("demo"));
        QCOMPARE(version->apiVersion, 1);
        QCOMPARE(version->pid, meshd->pid());
        QCOMPARE(version->adminAddress, meshd->adminAddress().toString());
        QVERIFY(version->uptimeMs >= 0);

        // The same client keeps working across calls (one curl handle, reused).
        for (int i = 0; i < 20; ++i)
            QVERIFY(client->version());
    }

    void aWrongTokenIsRefusedWithAnExplanation()
    {
        meshscope::testing::TempState state;
        auto meshd = meshscope::testing::MeshdProcess::start(state.stateDirQString());
        QVERIFY(meshd);
        auto client = clientFor(meshd->adminAddress(), std::string(64, '0'));
        QVERIFY(client->healthz()); // open endpoint
        const auto version = client->version();
        QVERIFY(!version);
        QCOMPARE(version.error().code, ErrorCode::Unauthorized);
        QVERIFY(version.error().message.find("admin.token") != std::string::npos);
    }

    void ignoresTheUsersHttpProxy()
    {
        // Inside the mesh http_proxy points at meshd's outbound proxy; the admin API must not go
        // there.
        meshscope::testing::TempState state;
        auto meshd = meshscope::testing::MeshdProcess::start(state.stateDirQString());
        QVERIFY(meshd);
        const auto unused = meshscope::testing::unusedLoopbackAddress();
        qputenv("http_proxy", QByteArray("http://") + unused.toString().c_str());
        qputenv("HTTP_PROXY", QByteArray("http://") + unused.toString().c_str());
        auto client = clientFor(meshd->adminAddress());
        const auto health = client->healthz();
        qunsetenv("http_proxy");
        qunsetenv("HTTP_PROXY");
        QVERIFY2(health, health ? "" : health.error().message.c_str());
    }
};

QTEST_GUILESS_MAIN(TestAdminClient)
#include "tst_admin_client.moc"
