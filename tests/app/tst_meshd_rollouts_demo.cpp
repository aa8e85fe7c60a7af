// The acceptance of rollouts on the demo mesh, as a user first meets them: its recommendations
// service rolled from v1 to v2 with each strategy, healthy (v2 as it is, its 5 % errors within a
// lenient threshold) and broken with a runtime fault (every request to v2 answered 500 by its own
// proxy). A healthy candidate reaches 100 % in (max weight / step weight) intervals, or the
// iterations asked for; a broken one is rolled back within (failure threshold + 1) intervals,
// while stable keeps at least 99 % of its requests. Real meshd, real workloads, 3 s intervals.
#include <QElapsedTimer>
#include <QTest>

#include "admin/admin_token.h"
#include "client/admin_client.h"
#include "tests/support/meshd_process.h"
#include "tests/support/temp_state.h"

using meshcore::rollout::Phase;
using meshcore::rollout::RolloutStatus;
using meshcore::rollout::Verdict;
using meshscope::testing::MeshdProcess;
using meshscope::testing::MeshdRun;
using meshscope::testing::runMeshd;
using meshscope::testing::TempState;

namespace {

const char *const Service = "recommendations.shop";

// `meshd up --demo`, with the CLI and the admin client at hand.
struct Demo {
    TempState state;
    std::unique_ptr<MeshdProcess> meshd = MeshdProcess::start(state.stateDirQString());
    std::unique_ptr<meshcore::client::AdminClient> admin;

    Demo()
    {
        if (!meshd)
            return;
        meshcore::client::AdminClient::Options options;
        options.address = meshd->adminAddress();
        options.token = *meshcore::admin::readAdminToken(state.stateDir());
        admin = std::move(*meshcore::client::AdminClient::create(options));
    }
    MeshdRun run(const QStringList &args) const
    {
        return runMeshd(args
                        + QStringList {"--admin", meshd->adminAddressText(), "--state-dir",
                                       state.stateDirQString()});
    }
    // Starts the rollout with the CLI: 3 s intervals, 20 analysis requests a second, and the
    // thresholds v2 passes as it is (it fails 5 % of its requests on its own).
    bool start(const QStringList &strategy) const
    {
        const auto started = run(QStringList {"rollout", "start", Service, "v2", "--interval", "3s",
                                              "--min-requests", "10", "--min-success", "80",
                                              "--failures", "2", "--traffic", "20"}
                                 + strategy);
        if (started.exitCode != 0)
            qWarning("%s", qPrintable(started.err));
        return started.exitCode == 0;
    }
    bool breakCandidate() const
    {
        return run({"fault", "set", Service, "v2", "--abort", "100:500"}).exitCode == 0;
    }
    // The rollout once it has ended (within 60 s).
    std::optional<RolloutStatus> ended() const
    {
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 60000) {
            if (auto s = admin->rollout(Service); s && !meshcore::rollout::isActive(s->phase))
                return *s;
            QTest::qWait(250);
        }
        return std::nullopt;
    }
};

int countOf(const RolloutStatus &s, Verdict verdict)
{
    return static_cast<int>(std::count_if(s.intervals.begin(), s.intervals.end(),
                                          [&](const auto &i) { return i.verdict == verdict; }));
}

// Stable kept at least 99 % of its requests in every interval.
bool stableHeld(const RolloutStatus &s)
{
    return std::all_of(s.intervals.begin(), s.intervals.end(), [](const auto &i) {
        return i.stable.requests == 0 || i.stable.successRate >= 99;
    });
}

// The three strategies, and how many passing intervals each healthy one needs.
void strategies()
{
    QTest::addColumn<QStringList>("strategy");
    QTest::addColumn<int>("passes");
    QTest::newRow("canary") << QStringList {"--step", "25", "--max", "50"} << 2; // 50 / 25
    QTest::newRow("blue-green") << QStringList {"--strategy", "blue-green", "--iterations", "2"}
                                << 2;
    QTest::newRow("ab") << QStringList {"--strategy",        "ab",           "--match",
                                        "header:x-beta=yes", "--iterations", "2"}
                        << 2;
}

} // namespace

class TestMeshdRolloutsDemo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void healthy_data() { strategies(); }
    void healthy()
    {
        QFETCH(QStringList, strategy);
        QFETCH(int, passes);
        Demo demo;
        QVERIFY(demo.meshd && demo.admin);
        QVERIFY(demo.start(strategy));
        const auto done = demo.ended();
        QVERIFY(done);
        QVERIFY2(done->phase == Phase::Succeeded, done->reason.c_str());
        QCOMPARE(countOf(*done, Verdict::Pass), passes);
        QCOMPARE(countOf(*done, Verdict::Fail), 0);
        const auto split = demo.admin->split(Service);
        QVERIFY(split);
        QCOMPARE(split->backends[1].version, std::string("v2"));
        QCOMPARE(split->backends[1].weight, 100u); // the new stable
        QVERIFY(stableHeld(*done));
    }

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void broken_data() { strategies(); }
    void broken()
    {
        QFETCH(QStringList, strategy);
        Demo demo;
        QVERIFY(demo.meshd && demo.admin);
        QVERIFY(demo.breakCandidate());
        QVERIFY(demo.start(strategy));
        const auto done = demo.ended();
        QVERIFY(done);
        QCOMPARE(done->phase, Phase::RolledBack);
        QVERIFY2(done->intervals.size() <= 3, qPrintable(QString::number(done->intervals.size())));
        QCOMPARE(demo.admin->split(Service)->backends[1].weight, 0u);
        QVERIFY(stableHeld(*done));
        qInfo("rolled back after %zu intervals: %s", done->intervals.size(), done->reason.c_str());
    }
};

QTEST_GUILESS_MAIN(TestMeshdRolloutsDemo)
#include "tst_meshd_rollouts_demo.moc"
