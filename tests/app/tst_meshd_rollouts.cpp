// Rollouts as a user runs them: a real meshd supervising Python's http.server as both versions
// (and a Python server that fails, as the broken candidate), user traffic from a client through
// the outbound proxy, the rollout started, watched and acted on with the `meshd rollout` CLI
// and the admin API, in real time with short intervals. Each strategy healthy and broken; the
// stable version keeps its users' success rate throughout.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <thread>

#include "rollout/rollout_json.h"
#include "tests/support/meshd_process.h"
#include "tests/support/proxy_client.h"
#include "tests/support/rollout_mesh.h"
#include "tests/support/test_mesh.h"

using meshscope::testing::RolloutMesh;
using Mesh = meshscope::testing::TestMesh;
using namespace std::chrono_literals;
using meshcore::rollout::Phase;
using meshscope::testing::RolloutUsers;
using meshscope::testing::waitForRollout;
using meshscope::testing::webWeight;

class TestMeshdRollouts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aHealthyCanaryStepsUpAndPromotes()
    {
        RolloutMesh mesh(0);
        QVERIFY(mesh.ready());
        RolloutUsers users(mesh.local);
        const auto started = mesh.rollout({"start", "web.shop", "v2", "--step", "25", "--max", "50",
                                           "--interval", "2s", "--min-requests", "10"});
        QVERIFY2(started.exitCode == 0, qPrintable(started.err));
        QVERIFY2(started.out.contains("progressing, candidate at 25 %"), qPrintable(started.out));
        QCOMPARE(webWeight(mesh, "v2"), 25u);
        const auto done = waitForRollout(mesh, Phase::Succeeded);
        QVERIFY(done);
        users.stop();
        QCOMPARE(webWeight(mesh, "v2"), 100u);
        QCOMPARE(webWeight(mesh, "v1"), 0u);
        // 25 % then 50 %, each interval passing on its own requests.
        QVERIFY(done->intervals.size() >= 2);
        QCOMPARE(done->intervals[0].weight, 25u);
        QCOMPARE(done->intervals.back().weight, 50u);
        for (const auto &interval : done->intervals)
            QVERIFY2(interval.verdict == meshcore::rollout::Verdict::Pass
                         || interval.verdict == meshcore::rollout::Verdict::Hold,
                     interval.summary.c_str());
        qInfo("users: %d requests, %d failed", users.sent(), users.failed());
        QCOMPARE(users.failed(), 0);
        // Flagger's metrics and every transition as an event.
        QCOMPARE(mesh.sample({"flagger_canary_status{", "name=\"web\""}), 1.0);
        QCOMPARE(mesh.sample({"flagger_canary_weight{", "workload=\"web-v2\""}), 100.0);
        const auto events = mesh.run({"events"});
        QVERIFY2(events.out.contains("weight 25 -> 50 %"), qPrintable(events.out));
        QVERIFY2(events.out.contains("v2 is the new stable version of web.shop"),
                 qPrintable(events.out));
    }

    void aBrokenCanaryRollsBackAndStableKeepsItsUsers()
    {
        RolloutMesh mesh(30);
        QVERIFY(mesh.ready());
        RolloutUsers users(mesh.local);
        QTest::qWait(1000);
        const auto before = users.sent();
        QCOMPARE(users.failed(), 0);
        const auto started = mesh.rollout({"start", "web.shop", "v2", "--step", "10", "--interval",
                                           "2s", "--min-requests", "10", "--failures", "2"});
        QVERIFY2(started.exitCode == 0, qPrintable(started.err));
        const auto back = waitForRollout(mesh, Phase::RolledBack);
        QVERIFY(back);
        QCOMPARE(webWeight(mesh, "v2"), 0u);
        QVERIFY2(back->reason.find("is below the minimum 99 %") != std::string::npos,
                 back->reason.c_str());
        const auto failedAtRollback = users.failed();
        const auto sentAtRollback = users.sent();
        QTest::qWait(1500);
        users.stop();
        // Only the candidate's share failed, and nothing once it was rolled back.
        QCOMPARE(users.failed(), failedAtRollback);
        const auto during = sentAtRollback - before;
        qInfo("users during the rollout: %d requests, %d failed", during, failedAtRollback);
        QVERIFY(during > 0);
        QVERIFY2(failedAtRollback <= during * 10 / 100, "more failed than the candidate's share");
        QVERIFY(users.sent() > sentAtRollback);
        // Stable kept its users: every interval's stable figures stayed at 99 % or more.
        for (const auto &interval : back->intervals)
            QVERIFY2(interval.stable.successRate >= 99, interval.summary.c_str());
        QCOMPARE(mesh.sample({"flagger_canary_status{", "name=\"web\""}), 2.0);
        QCOMPARE(mesh.sample({"meshscope_rollout_check_passed{", "metric=\"success-rate\""}), 0.0);
        // The status says which check, which values.
        const auto status = mesh.rollout({"status", "web.shop"});
        QCOMPARE(status.exitCode, 0);
        QVERIFY2(status.out.contains("rolled-back"), qPrintable(status.out));
        QVERIFY2(status.out.contains("fail"), qPrintable(status.out));
    }

    void blueGreenGetsOnlyAnalysisTrafficUntilPromoted()
    {
        RolloutMesh mesh(0);
        QVERIFY(mesh.ready());
        RolloutUsers users(mesh.local);
        const auto started
            = mesh.rollout({"start", "web.shop", "v2", "--strategy", "blue-green", "--iterations",
                            "2", "--interval", "2s", "--min-requests", "10", "--traffic", "20"});
        QVERIFY2(started.exitCode == 0, qPrintable(started.err));
        QCOMPARE(webWeight(mesh, "v2"), 0u);
        // The users are all on v1 still: the candidate's requests are meshd's analysis traffic,
        // which the golden metrics leave out.
        // (On a loaded machine the analysis traffic may fall short of 10 requests in an interval:
        // such an interval does not count, and a later one does.)
        std::optional<meshcore::rollout::RolloutStatus> status;
        const auto analysed = [&] {
            return status
                && std::any_of(
                       status->intervals.begin(), status->intervals.end(),
                       [](const auto &interval) { return interval.candidate.requests >= 10; });
        };
        for (int i = 0; i < 150 && !analysed(); ++i) {
            QTest::qWait(100);
            if (auto now = mesh.admin->rollout("web.shop"))
                status = *now;
        }
        QVERIFY(status && !status->intervals.empty());
        QVERIFY(analysed());
        const auto topology = QJsonDocument::fromJson(
                                  QByteArray::fromStdString(*mesh.admin->get("/api/v1/topology")))
                                  .object();
        for (const auto &edge : topology.value("edges").toArray()) {
            const auto source = edge.toObject().value("source").toObject();
            QVERIFY2(source.value("service").toString() != "rollout-analysis",
                     "analysis traffic shows in the topology");
        }
        const auto done = waitForRollout(mesh, Phase::Succeeded);
        QVERIFY(done);
        QCOMPARE(webWeight(mesh, "v2"), 100u); // all at once
        users.stop();
        QCOMPARE(users.failed(), 0);
    }

    void aBrokenBlueGreenRollsBackWithoutTouchingUsers()
    {
        RolloutMesh mesh(30);
        QVERIFY(mesh.ready());
        RolloutUsers users(mesh.local);
        const auto started = mesh.rollout(
            {"start", "web.shop", "v2", "--strategy", "blue-green", "--iterations", "3",
             "--interval", "2s", "--min-requests", "10", "--traffic", "20", "--failures", "1"});
        QVERIFY2(started.exitCode == 0, qPrintable(started.err));
        const auto back = waitForRollout(mesh, Phase::RolledBack);
        QVERIFY(back);
        QVERIFY2(back->reason.find("success rate") != std::string::npos, back->reason.c_str());
        users.stop();
        // The users never met the candidate: only the analysis traffic found it broken.
        QVERIFY(users.sent() > 100);
        QCOMPARE(users.failed(), 0);
        QCOMPARE(webWeight(mesh, "v2"), 0u);
    }

    void aHealthyAbPromotesAfterItsIterations()
    {
        RolloutMesh mesh(0);
        QVERIFY(mesh.ready());
        RolloutUsers users(mesh.local);
        // The audience here is the analysis traffic alone (pinned like the cookie's holders).
        const auto started = mesh.rollout({"start", "web.shop", "v2", "--strategy", "ab", "--match",
                                           "cookie:beta=on", "--iterations", "2", "--interval",
                                           "2s", "--min-requests", "10", "--traffic", "20"});
        QVERIFY2(started.exitCode == 0, qPrintable(started.err));
        QCOMPARE(webWeight(mesh, "v2"), 0u);
        const auto done = waitForRollout(mesh, Phase::Succeeded);
        QVERIFY(done);
        QCOMPARE(webWeight(mesh, "v2"), 100u);
        users.stop();
        QCOMPARE(users.failed(), 0);
    }

    void abSendsMatchingRequestsToTheCandidate()
    {
        RolloutMesh mesh(100); // v2 fails every request: easy to tell apart
        QVERIFY(mesh.ready());
        const auto started = mesh.rollout({"start", "web.shop", "v2", "--strategy", "ab", "--match",
                                           "header:x-beta=yes", "--interval", "60s"});
        QVERIFY2(started.exitCode == 0, qPrintable(started.err));
        const auto once = [&](const QStringList &extra) {
            QProcess p;
            p.start("curl",
                    QStringList {"-s", "-o", "/dev/null", "--max-time", "5", "-w", "%{http_code}",
                                 "-x", QString::fromStdString("http://" + mesh.local.toString())}
                        + extra + QStringList {"http://web.shop/"});
            p.waitForFinished(10000);
            return QString::fromUtf8(p.readAllStandardOutput());
        };
        // A request that got no answer at all in 5 s is tried once more, loudly: seen once on a
        // loaded CI machine and not reproduced since (see the issue 14 note); which version
        // answers is what this test is about.
        const auto curl = [&](const QStringList &extra) {
            auto code = once(extra);
            if (code.isEmpty() || code == QStringLiteral("000")) {
                qWarning("no answer in 5 s through the outbound proxy (%s); trying again",
                         qPrintable(extra.join(' ')));
                code = once(extra);
            }
            return code;
        };
        for (int i = 0; i < 10; ++i) {
            QCOMPARE(curl({}), QStringLiteral("200")); // everyone else: stable
            // The audience meets the broken candidate (500, or 503 once its breaker ejected it).
            QVERIFY(curl({"-H", "x-beta: yes"}).startsWith(QLatin1Char('5')));
            QCOMPARE(curl({"-H", "x-beta: no"}), QStringLiteral("200"));
        }
        const auto aborted = mesh.rollout({"abort", "web.shop"});
        QCOMPARE(aborted.exitCode, 0);
        QCOMPARE(curl({"-H", "x-beta: yes"}), QStringLiteral("200")); // pins gone with it
    }
};

QTEST_GUILESS_MAIN(TestMeshdRollouts)
#include "tst_meshd_rollouts.moc"
