// Taking a rollout in hand, as a user does with the CLI and the admin API on a real meshd: every
// manual action and what it does to the split, a split changed by hand pausing the rollout, an
// idle step holding and then failing, relative checks against stable, bad input refused with a
// sentence and the right exit code, and a meshd killed with SIGKILL mid-rollout resuming (or
// rolling back when its evidence is too old).
#include <QTest>

#include <csignal>

#include "admin/admin_token.h"
#include "tests/support/meshd_process.h"
#include "tests/support/rollout_mesh.h"
#include "tests/support/test_mesh.h"

using meshcore::rollout::Phase;
using meshscope::testing::MeshdProcess;
using meshscope::testing::RolloutMesh;
using meshscope::testing::RolloutUsers;
using meshscope::testing::runMeshd;
using meshscope::testing::waitForRollout;
using meshscope::testing::webService;
using meshscope::testing::webWeight;
using Mesh = meshscope::testing::TestMesh;
using namespace std::chrono_literals;

class TestMeshdRolloutControl : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyManualAction()
    {
        RolloutMesh mesh(0);
        QVERIFY(mesh.ready());
        QCOMPARE(mesh.rollout({"start", "web.shop", "v2", "--interval", "10m"}).exitCode, 0);
        QCOMPARE(webWeight(mesh, "v2"), 10u);
        auto run = mesh.rollout({"pause", "web.shop"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("paused"), qPrintable(run.out));
        run = mesh.rollout({"pause", "web.shop"}); // does not apply: says why, changes nothing
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("is paused; \"pause\" applies only to progressing rollouts"),
                 qPrintable(run.err));
        QCOMPARE(mesh.rollout({"resume", "web.shop"}).exitCode, 0);
        QCOMPARE(mesh.rollout({"skip", "web.shop"}).exitCode, 0);
        QCOMPARE(webWeight(mesh, "v2"), 20u);
        QCOMPARE(mesh.rollout({"set-weight", "web.shop", "35"}).exitCode, 0);
        QCOMPARE(webWeight(mesh, "v2"), 35u);
        QCOMPARE(webWeight(mesh, "v1"), 65u);
        QCOMPARE(mesh.rollout({"abort", "web.shop"}).exitCode, 0);
        QCOMPARE(webWeight(mesh, "v2"), 0u);
        QCOMPARE(webWeight(mesh, "v1"), 100u);
        QCOMPARE(mesh.rollout({"retry", "web.shop"}).exitCode, 0);
        QCOMPARE(webWeight(mesh, "v2"), 10u);
        run = mesh.rollout({"promote", "web.shop", "--json"});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains("\"phase\": \"promoting\""), qPrintable(run.out));
        QCOMPARE(webWeight(mesh, "v2"), 100u);
        QVERIFY(waitForRollout(mesh, Phase::Succeeded, 5s));
        const auto list = mesh.rollout({"list"});
        QCOMPARE(list.exitCode, 0);
        // One rollout: the retry was its second attempt, not a new one.
        QVERIFY2(list.out.contains("succeeded") && list.out.count("web.shop") == 1,
                 qPrintable(list.out));
        QCOMPARE(mesh.admin->rollout("web.shop")->attempt, 2u);
        const auto events = mesh.run({"events"});
        for (const auto *said : {"paused by the user", "resumed by the user", "skipped by the user",
                                 "weight set by the user: 20 -> 35 %", "aborted by the user",
                                 "retried by the user (attempt 2)", "promoted by the user"})
            QVERIFY2(events.out.contains(said), said);
    }

    void badInputIsRefusedWithASentence()
    {
        RolloutMesh mesh(0);
        QVERIFY(mesh.ready());
        struct Case {
            QStringList args;
            int exitCode = 0;
            const char *says = "";
        };
        const Case cases[] = {
            {{"start", "web.shop"}, 2, "start takes SERVICE CANDIDATE"},
            {{"start", "web.shop", "v2", "--interval", "soon"}, 2, "--interval takes"},
            {{"start", "web.shop", "v2", "--match", "x-beta"}, 2, "header:NAME=VALUE"},
            {{"start", "web.shop", "v9"}, 1, "has no version \"v9\" (its versions: v1, v2)"},
            {{"start", "nowhere", "v2"}, 1, "no service \"nowhere\""},
            {{"start", "web.shop", "v2", "--step", "30", "--max", "20"},
             2,
             "from the step weight (30) to 100"},
            {{"start", "web.shop", "v2", "--strategy", "ab"}, 2, "needs a header or cookie"},
            {{"start", "web.shop", "v2", "--min-success", "nan"}, 2, "--min-success takes"},
            {{"pause", "web.shop"}, 1, "web.shop has no rollout"},
            {{"set-weight", "web.shop", "lots"}, 2, "a percentage like 20"},
            {{"frobnicate", "web.shop"}, 2, "unknown rollout verb"},
        };
        for (const auto &c : cases) {
            const auto run = mesh.rollout(c.args);
            QVERIFY2(run.exitCode == c.exitCode,
                     qPrintable(c.args.join(' ') + ": exit " + QString::number(run.exitCode)));
            QVERIFY2(run.err.contains(c.says), qPrintable(c.args.join(' ') + ": " + run.err));
        }
        // Through the API: a 4xx with the same kind of sentence, and nothing started.
        const auto body
            = mesh.admin->post("/api/v1/rollouts", R"({"service": "web", "colour": 1})");
        QVERIFY(!body);
        QVERIFY2(body.error().message.find("unknown field \"colour\"") != std::string::npos,
                 body.error().message.c_str());
        QCOMPARE(mesh.admin->rollouts()->size(), std::size_t(0));
        QCOMPARE(webWeight(mesh, "v2"), 0u);
    }

    void aSplitChangedByHandPausesTheRollout()
    {
        RolloutMesh mesh(0);
        QVERIFY(mesh.ready());
        QCOMPARE(mesh.rollout({"start", "web.shop", "v2", "--interval", "10m"}).exitCode, 0);
        QCOMPARE(mesh.run({"split", "web.shop", "v1=50", "v2=50"}).exitCode, 0);
        const auto paused = waitForRollout(mesh, Phase::Paused, 5s);
        QVERIFY(paused);
        QVERIFY2(paused->reason.find("changed to v1=50 v2=50 through the admin API")
                     != std::string::npos,
                 paused->reason.c_str());
        QCOMPARE(webWeight(mesh, "v2"), 50u); // the hand-set split stays until resumed
        QCOMPARE(mesh.rollout({"resume", "web.shop"}).exitCode, 0);
        QCOMPARE(webWeight(mesh, "v2"), 10u);
    }

    void anIdleStepHoldsThenFails()
    {
        RolloutMesh mesh(0);
        QVERIFY(mesh.ready());
        QCOMPARE(mesh.rollout({"start", "web.shop", "v2", "--interval", "2s", "--max-hold", "4s"})
                     .exitCode,
                 0);
        const auto back = waitForRollout(mesh, Phase::RolledBack, 20s);
        QVERIFY(back);
        QVERIFY2(back->reason.find("held for") != std::string::npos
                     && back->reason.find("fewer than the 20 needed") != std::string::npos,
                 back->reason.c_str());
        QVERIFY(back->intervals.size() >= 2);
        QCOMPARE(back->intervals[0].verdict, meshcore::rollout::Verdict::Hold);
        QCOMPARE(back->failedIntervals, 0u); // holding is never a pass, nor a failure
    }

    void anIdleMeshGetsAnalysisTrafficWhenAsked()
    {
        RolloutMesh mesh(0);
        QVERIFY(mesh.ready());
        QCOMPARE(
            mesh.rollout({"start", "web.shop", "v2", "--step", "50", "--max", "50", "--interval",
                          "2s", "--min-requests", "10", "--traffic-when-idle", "--traffic", "20"})
                .exitCode,
            0);
        const auto done = waitForRollout(mesh, Phase::Succeeded, 20s);
        QVERIFY(done);
        QCOMPARE(done->intervals.front().verdict, meshcore::rollout::Verdict::Hold);
        QCOMPARE(done->intervals.back().verdict, meshcore::rollout::Verdict::Pass);
        // The users' golden metrics never saw those requests.
        const auto stat = mesh.run({"stat", "--json"});
        QVERIFY2(!stat.out.contains("rollout-analysis"), qPrintable(stat.out));
        const auto history = mesh.admin->history("web.shop");
        QVERIFY(history);
        std::uint64_t seen = 0;
        for (const auto &point : history->points)
            seen += point.traffic.requests;
        QCOMPARE(seen, std::uint64_t(0));
    }

    void aSlowCandidateFailsTheCheckAgainstStable()
    {
        RolloutMesh mesh(0, 300); // v2 answers after 300 ms, v1 at once
        QVERIFY(mesh.ready());
        RolloutUsers users(mesh.local);
        // No absolute latency limit: only "at most 2 x stable's p99".
        QCOMPARE(mesh.rollout({"start", "web.shop", "v2", "--interval", "2s", "--min-requests", "5",
                               "--no-max-p99", "--max-p99-ratio", "2", "--max-drop", "1",
                               "--failures", "1", "--step", "50", "--max", "50"})
                     .exitCode,
                 0);
        const auto back = waitForRollout(mesh, Phase::RolledBack, 20s);
        QVERIFY(back);
        QVERIFY2(back->reason.find("against stable's") != std::string::npos
                     && back->reason.find("times, more than the allowed 2") != std::string::npos,
                 back->reason.c_str());
        users.stop();
        QCOMPARE(users.failed(), 0); // slow is not failed: the users all got answers
    }

    void aRolloutInMeshYamlStartsOnceAndKeepsItsPlaceThroughReloads()
    {
        const auto rollouts = QStringLiteral("rollouts:\n"
                                             "  - service: web\n"
                                             "    stable: v1\n"
                                             "    candidate: v2\n"
                                             "    step_weight: 30\n"
                                             "    interval: 10m\n");
        RolloutMesh mesh(0, 0, rollouts);
        QVERIFY(mesh.ready());
        const auto started = waitForRollout(mesh, Phase::Progressing, 35s);
        QVERIFY(started);
        QCOMPARE(started->origin, std::string("config"));
        QCOMPARE(webWeight(mesh, "v2"), 30u);
        QCOMPARE(mesh.rollout({"abort", "web.shop"}).exitCode, 0);
        // Reloading the same file does not run it again.
        QCOMPARE(mesh.run({"reload"}).exitCode, 0);
        QCOMPARE(mesh.admin->rollout("web.shop")->phase, Phase::Aborted);
        // A bad rollout in the file: the reload names file, line and column; nothing changes.
        QFile file(mesh.configFile);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(
            Mesh::configFor(webService(mesh.dir(), 0)
                            + QString(rollouts).replace("step_weight: 30", "step_weight: 300"))
                .toUtf8());
        file.close();
        const auto reload = mesh.run({"reload"});
        QVERIFY(reload.exitCode != 0);
        QVERIFY2(reload.err.contains(mesh.configFile + ":") && reload.err.contains("step_weight"),
                 qPrintable(reload.err));
        QCOMPARE(mesh.admin->rollout("web.shop")->phase, Phase::Aborted);
        QCOMPARE(webWeight(mesh, "v2"), 0u);
    }

    void exportingTheRunningMeshdCarriesItsLiveRollout()
    {
        RolloutMesh mesh(0);
        QVERIFY(mesh.meshd);
        QCOMPARE(mesh.rollout({"start", "web.shop", "v2", "--step", "25", "--max", "75",
                               "--interval", "10m"})
                     .exitCode,
                 0);
        // No --config: the running meshd as it runs, with the rollout started through the API.
        const auto exported = mesh.run({"export", "--service", "web.shop"});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        QVERIFY(exported.out.contains("kind: HTTPRoute"));
        QVERIFY2(exported.out.contains("kind: Canary") && exported.out.contains("stepWeight: 25")
                     && exported.out.contains("maxWeight: 75"),
                 qPrintable(exported.out));
        QVERIFY(exported.out.contains("kind: Rollout"));
        // The HTTPRoute has the split in force (75/25), not the file's (100/0).
        QVERIFY2(exported.out.contains("weight: 25") && exported.out.contains("weight: 75"),
                 qPrintable(exported.out));
        // The file alone knows no rollout: flagger has nothing to export from it.
        const auto fromFile
            = runMeshd({"export", "--config", mesh.configFile, "--format", "flagger"});
        QCOMPARE(fromFile.exitCode, 1);
        QVERIFY2(fromFile.err.contains("has no rollouts"), qPrintable(fromFile.err));
    }

    void aKilledMeshdResumesTheRollout()
    {
        RolloutMesh mesh(0);
        QVERIFY(mesh.ready());
        QCOMPARE(mesh.rollout({"start", "web.shop", "v2", "--interval", "10m"}).exitCode, 0);
        QCOMPARE(mesh.rollout({"skip", "web.shop"}).exitCode, 0); // 20 %
        QTest::qWait(1200);
        mesh.meshd->stop(SIGKILL);
        mesh.meshd.reset();
        auto again = MeshdProcess::start(mesh.state.stateDirQString(),
                                         {"--config", mesh.configFile, "--workers", "2"});
        QVERIFY(again);
        mesh.meshd = std::move(again);
        meshcore::client::AdminClient::Options options;
        options.address = mesh.meshd->adminAddress();
        options.token = *meshcore::admin::readAdminToken(mesh.state.stateDir());
        mesh.admin = std::move(*meshcore::client::AdminClient::create(options));
        const auto status = mesh.admin->rollout("web.shop");
        QVERIFY(status);
        QCOMPARE(status->phase, Phase::Progressing);
        QCOMPARE(status->weight, 20u);
        QCOMPARE(webWeight(mesh, "v2"), 20u); // not the file's 0
        const auto events = mesh.run({"events"});
        QVERIFY2(events.out.contains("resumed progressing at 20 % after a restart of meshd"),
                 qPrintable(events.out));
    }

    void aKilledMeshdWithStaleEvidenceRollsBack()
    {
        RolloutMesh mesh(0);
        QVERIFY(mesh.ready());
        QCOMPARE(mesh.rollout({"start", "web.shop", "v2", "--interval", "10m", "--max-evidence-age",
                               "2s"})
                     .exitCode,
                 0);
        mesh.meshd->stop(SIGKILL);
        mesh.meshd.reset();
        QTest::qWait(4000);
        auto again = MeshdProcess::start(mesh.state.stateDirQString(),
                                         {"--config", mesh.configFile, "--workers", "2"});
        QVERIFY(again);
        mesh.meshd = std::move(again);
        const auto status = mesh.rollout({"status", "web.shop"});
        QVERIFY2(status.out.contains("rolled-back"), qPrintable(status.out));
        QVERIFY2(status.out.contains("more than the 2 s allowed"), qPrintable(status.out));
        const auto events = mesh.run({"events"});
        QVERIFY2(events.out.contains("meshd was stopped mid-rollout"), qPrintable(events.out));
    }
};

QTEST_GUILESS_MAIN(TestMeshdRolloutControl)
#include "tst_meshd_rollout_control.moc"
