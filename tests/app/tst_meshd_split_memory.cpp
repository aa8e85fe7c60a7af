// Splits set at run time across restarts of a real meshd: one set through the API comes back after
// SIGTERM and a start on the same state directory (source "runtime", saved), until mesh.yaml
// changes that service's split (then the file's, source "config"); where a promoted rollout left
// the split comes back too; an unreadable splits.json does not stop meshd.
#include <QFile>
#include <QTest>

#include <csignal>
#include <fstream>

#include "tests/support/http_backend.h"
#include "tests/support/meshd_process.h"
#include "tests/support/proxy_client.h"
#include "tests/support/rollout_mesh.h"
#include "tests/support/test_mesh.h"

using meshcore::rollout::Phase;
using meshscope::testing::HttpBackend;
using meshscope::testing::replicas;
using meshscope::testing::RolloutMesh;
using meshscope::testing::TestMesh;
using meshscope::testing::waitForRollout;
using meshscope::testing::webWeight;
using namespace std::chrono_literals;

namespace {

void writeFile(const QString &path, const QString &text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text.toUtf8());
}

// "v1=30 v2=70" for the split's weights.
std::string weights(const meshcore::admin::SplitInfo &split)
{
    std::string text;
    for (const auto &b : split.backends)
        text += (text.empty() ? "" : " ") + b.version + "=" + std::to_string(b.weight);
    return text;
}

bool eventSays(const TestMesh &mesh, const std::string &part)
{
    const auto events = mesh.admin->events();
    return events && std::any_of(events->begin(), events->end(), [&](const auto &e) {
               return e.kind == "split" && e.message.find(part) != std::string::npos;
           });
}

} // namespace

class TestMeshdSplitMemory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void anApiSplitOutlivesARestartUntilTheFileChangesIt()
    {
        HttpBackend v1;
        HttpBackend v2;
        const QString api = QStringLiteral("  - name: api\n    namespace: shop\n"
                                           "    versions: [{name: v1, replicas: %1}, "
                                           "{name: v2, replicas: %2}]\n"
                                           "    split: %3\n")
                                .arg(replicas({&v1}), replicas({&v2}));
        TestMesh mesh(api.arg(QStringLiteral("[{version: v1, weight: 90}, {version: v2, weight: "
                                             "10}]")));
        QVERIFY(mesh.meshd);
        auto split = mesh.admin->split("api.shop");
        QVERIFY(split);
        QCOMPARE(split->source, std::string("config"));
        QVERIFY(!split->persisted);

        // Set through the API: runtime, saved, and the CLI says what that means.
        split = mesh.admin->setSplit("api.shop", {{"v1", 30}, {"v2", 70}});
        QVERIFY(split);
        QCOMPARE(split->source, std::string("runtime"));
        QVERIFY(split->persisted);
        QVERIFY(std::filesystem::exists(mesh.state.stateDir() / "splits.json"));
        const auto shown = meshscope::testing::runMeshd(
            {"split", "api.shop", "--admin", mesh.meshd->adminAddressText(), "--state-dir",
             mesh.state.stateDirQString()});
        QCOMPARE(shown.exitCode, 0);
        QVERIFY2(shown.out.contains("set at run time; kept across restarts until mesh.yaml "
                                    "changes this split"),
                 qPrintable(shown.out));

        // SIGTERM, and a start with the same file and state directory: the API's split is back.
        QVERIFY(mesh.restart());
        split = mesh.admin->split("api.shop");
        QVERIFY(split);
        QCOMPARE(weights(*split), std::string("v1=30 v2=70"));
        QCOMPARE(split->source, std::string("runtime"));
        QVERIFY(split->persisted);
        QVERIFY(eventSays(mesh, "restored after a restart of meshd"));
        const auto all = mesh.admin->splits();
        QVERIFY(all && all->size() == 1 && all->front().source == "runtime");
        // ...and it is the one in force: most requests go to v2.
        meshscope::testing::ProxyClient client(mesh.local);
        const int before = v2.requests();
        for (int i = 0; i < 100; ++i)
            QCOMPARE(client.get("http://api.shop/x").result_int(), 200u);
        QVERIFY2(v2.requests() - before > 50, qPrintable(QString::number(v2.requests() - before)));

        // The file's split for api edited while meshd is stopped: the file wins at the next start.
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
        writeFile(mesh.configFile,
                  TestMesh::configFor(api.arg(
                      QStringLiteral("[{version: v1, weight: 50}, {version: v2, weight: 50}]"))));
        QVERIFY(mesh.startAgain());
        split = mesh.admin->split("api.shop");
        QVERIFY(split);
        QCOMPARE(weights(*split), std::string("v1=50 v2=50"));
        QCOMPARE(split->source, std::string("config"));
        QVERIFY(!split->persisted);
        QVERIFY(eventSays(mesh, "is dropped: mesh.yaml changed its split"));
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }

    void aReloadThatChangesTheSplitForgetsTheRemembered()
    {
        HttpBackend v1;
        HttpBackend v2;
        const QString api = QStringLiteral("  - name: api\n    namespace: shop\n"
                                           "    versions: [{name: v1, replicas: %1}, "
                                           "{name: v2, replicas: %2}]\n%3")
                                .arg(replicas({&v1}), replicas({&v2}));
        TestMesh mesh(api.arg(QString()));
        QVERIFY(mesh.meshd);
        QVERIFY(mesh.admin->setSplit("api.shop", {{"v1", 20}, {"v2", 80}}));
        writeFile(mesh.configFile,
                  TestMesh::configFor(api.arg(QStringLiteral(
                      "    split: [{version: v1, weight: 60}, {version: v2, weight: 40}]\n"))));
        QVERIFY(mesh.admin->reload());
        QTRY_VERIFY_WITH_TIMEOUT(eventSays(mesh, "is dropped: mesh.yaml changed its split"), 5000);
        QVERIFY(mesh.restart());
        const auto split = mesh.admin->split("api.shop");
        QVERIFY(split);
        QCOMPARE(weights(*split), std::string("v1=60 v2=40"));
        QCOMPARE(split->source, std::string("config"));
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }

    void aPromotedRolloutsSplitOutlivesARestart()
    {
        RolloutMesh mesh(0);
        QVERIFY(mesh.ready());
        QCOMPARE(mesh.rollout({"start", "web.shop", "v2", "--interval", "10m"}).exitCode, 0);
        QCOMPARE(mesh.rollout({"promote", "web.shop"}).exitCode, 0);
        QVERIFY(waitForRollout(mesh, Phase::Succeeded, 5s));
        QCOMPARE(webWeight(mesh, "v2"), 100u);
        QVERIFY(mesh.restart());
        QCOMPARE(webWeight(mesh, "v2"), 100u);
        QCOMPARE(webWeight(mesh, "v1"), 0u);
        const auto split = mesh.admin->split("web.shop");
        QVERIFY(split && split->source == "runtime" && split->persisted);
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }

    void anUnreadableFileIsMovedAsideAndMeshdRuns()
    {
        HttpBackend v1;
        TestMesh mesh(QStringLiteral("  - {name: api, namespace: shop, versions: [{name: v1, "
                                     "replicas: %1}]}\n")
                          .arg(replicas({&v1})));
        QVERIFY(mesh.meshd);
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
        std::ofstream(mesh.state.stateDir() / "splits.json") << "{\"format\": 1, \"spl";
        QVERIFY(mesh.startAgain());
        QVERIFY(eventSays(mesh, "could not be read"));
        QVERIFY(std::filesystem::exists(mesh.state.stateDir() / "splits.json.unreadable"));
        QCOMPARE(mesh.admin->split("api.shop")->source, std::string("config"));
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }
};

QTEST_GUILESS_MAIN(TestMeshdSplitMemory)
#include "tst_meshd_split_memory.moc"
