// The mesh's rollouts: one active per service, the state file written on every change and read
// back by a restarted meshd (resume or roll back), rollouts from the configuration started once,
// manual splits pausing, and the JSON shape (both ways, and strict for what users send).
#include <QTest>

#include <fstream>

#include "core/state_dir.h"
#include "rollout/rollout_controller.h"
#include "rollout/rollout_json.h"
#include "tests/support/temp_state.h"
#include "traffic_double.h"

using namespace meshcore;
using namespace meshcore::rollout;
using meshscope::testing::TempState;
using rollout_test::canarySpec;
using rollout_test::TrafficDouble;

namespace {

// The state file in a fresh private directory.
std::filesystem::path stateFile(const TempState &state)
{
    std::filesystem::create_directories(state.stateDir());
    return state.stateDir() / "rollouts.json";
}

struct Events {
    std::vector<std::pair<std::string, std::string>> seen;
    RolloutController::EventSink sink()
    {
        return [this](const std::string &subject, const std::string &message) {
            seen.emplace_back(subject, message);
        };
    }
    bool said(const std::string &part) const
    {
        return std::any_of(seen.begin(), seen.end(),
                           [&](const auto &e) { return e.second.find(part) != std::string::npos; });
    }
};

} // namespace

class TestRolloutController : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void onePerService()
    {
        TempState state;
        ManualClock clock;
        TrafficDouble traffic;
        Events events;
        RolloutController controller(traffic, clock, stateFile(state), events.sink());
        auto spec = canarySpec();
        spec.stable.clear(); // the version with the most weight
        const auto started = controller.start(spec, "api");
        QVERIFY(started);
        QCOMPARE(started->spec.stable, std::string("v1"));
        QVERIFY(events.said("canary rollout of v2 (stable v1) started at 10 %"));
        const auto second = controller.start(canarySpec(), "api");
        QVERIFY(!second);
        QCOMPARE(second.error().code, ErrorCode::Busy);
        QVERIFY2(second.error().message.find("already has a rollout") != std::string::npos,
                 second.error().message.c_str());
        QCOMPARE(controller.list().size(), std::size_t(1));
    }

    void refusalsChangeNothing()
    {
        TempState state;
        ManualClock clock;
        TrafficDouble traffic;
        Events events;
        RolloutController controller(traffic, clock, stateFile(state), events.sink());
        auto spec = canarySpec();
        spec.candidate = "v9";
        const auto unknown = controller.start(spec, "api");
        QVERIFY(!unknown);
        QCOMPARE(unknown.error().code, ErrorCode::NotFound);
        QVERIFY2(unknown.error().message.find("its versions: v1, v2") != std::string::npos,
                 unknown.error().message.c_str());
        traffic.splitNow = {{"v1", 100}, {"v2", 0}};
        spec = canarySpec();
        spec.maxWeight = 5; // below the step
        const auto invalid = controller.start(spec, "api");
        QVERIFY(!invalid);
        QCOMPARE(invalid.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(traffic.weightOf("v2"), 0u); // untouched
        QVERIFY(controller.list().empty());
        const auto noRollout = controller.act("web", "default", Action::Pause);
        QVERIFY(!noRollout);
        QCOMPARE(noRollout.error().code, ErrorCode::NotFound);
    }

    void stateSurvivesARestart()
    {
        TempState state;
        ManualClock clock;
        const auto file = stateFile(state);
        RolloutStatus before;
        {
            TrafficDouble traffic;
            Events events;
            RolloutController controller(traffic, clock, file, events.sink());
            QVERIFY(controller.start(canarySpec(), "api"));
            traffic.serve("v2", 50);
            clock.advance(std::chrono::seconds(10));
            controller.tick();
            before = *controller.find("web", "default");
            QCOMPARE(before.weight, 20u);
        } // meshd dies here: nothing but the file is left
        QVERIFY(std::filesystem::exists(file));
        QCOMPARE(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
                 std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        clock.advance(std::chrono::seconds(5));
        TrafficDouble traffic; // the file's split again
        Events events;
        RolloutController restarted(traffic, clock, file, events.sink());
        QVERIFY(restarted.load());
        const auto after = *restarted.find("web", "default");
        QCOMPARE(after.phase, Phase::Progressing);
        QCOMPARE(after.weight, 20u);
        QCOMPARE(after.intervals, before.intervals);
        QCOMPARE(traffic.weightOf("v2"), 20u);
        QVERIFY(events.said("after a restart of meshd"));
    }

    void staleStateRollsBack()
    {
        TempState state;
        ManualClock clock;
        const auto file = stateFile(state);
        {
            TrafficDouble traffic;
            Events events;
            RolloutController controller(traffic, clock, file, events.sink());
            QVERIFY(controller.start(canarySpec(), "api"));
        }
        clock.advance(std::chrono::hours(1));
        TrafficDouble traffic;
        Events events;
        RolloutController restarted(traffic, clock, file, events.sink());
        QVERIFY(restarted.load());
        QCOMPARE(restarted.find("web", "default")->phase, Phase::RolledBack);
        QCOMPARE(traffic.weightOf("v2"), 0u);
        QVERIFY(events.said("more than the 600 s allowed"));
        // And the file says so too.
        Events again;
        RolloutController third(traffic, clock, file, again.sink());
        QVERIFY(third.load());
        QCOMPARE(third.find("web", "default")->phase, Phase::RolledBack);
    }

    void anUnreadableFileIsKeptAside()
    {
        TempState state;
        ManualClock clock;
        const auto file = stateFile(state);
        QVERIFY(writeFileAtomically(file, "{\"rollouts\": [{\"phase\": 3}]}", 0600));
        TrafficDouble traffic;
        Events events;
        RolloutController controller(traffic, clock, file, events.sink());
        const auto loaded = controller.load();
        QVERIFY(!loaded);
        QVERIFY2(loaded.error().message.find("moved to") != std::string::npos,
                 loaded.error().message.c_str());
        QVERIFY(std::filesystem::exists(state.stateDir() / "rollouts.json.unreadable"));
        QVERIFY(controller.start(canarySpec(), "api")); // and rollouts work again
    }

    void configRolloutsStartOnce()
    {
        TempState state;
        ManualClock clock;
        TrafficDouble traffic;
        Events events;
        RolloutController controller(traffic, clock, stateFile(state), events.sink());
        controller.applyConfig({canarySpec()});
        QVERIFY(controller.hasActive("web", "default"));
        QCOMPARE(controller.find("web", "default")->origin, std::string("config"));
        QVERIFY(controller.act("web", "default", Action::Abort));
        controller.applyConfig({canarySpec()}); // a reload of the same file: not again
        QCOMPARE(controller.find("web", "default")->phase, Phase::Aborted);
        auto changed = canarySpec();
        changed.stepWeight = 5;
        controller.applyConfig({changed}); // a changed spec is a new rollout
        QCOMPARE(controller.find("web", "default")->phase, Phase::Progressing);
        QCOMPARE(controller.list().size(), std::size_t(2));
    }

    void configRolloutsWaitUntilTheirVersionsServe()
    {
        TempState state;
        ManualClock clock;
        TrafficDouble traffic;
        traffic.versionsServing = false;
        Events events;
        RolloutController controller(traffic, clock, stateFile(state), events.sink());
        controller.applyConfig({canarySpec()});
        QVERIFY(!controller.find("web", "default"));
        clock.advance(std::chrono::seconds(2));
        controller.tick();
        QVERIFY(!controller.find("web", "default"));
        traffic.versionsServing = true;
        controller.tick();
        QVERIFY(controller.hasActive("web", "default"));
        // And one whose versions never serve starts anyway after the wait (and says what it meets).
        auto other = canarySpec();
        other.service = "api";
        traffic.versionsServing = false;
        controller.applyConfig({canarySpec(), other});
        controller.tick();
        QVERIFY(!controller.find("api", "default"));
        clock.advance(RolloutController::ConfigStartWait);
        controller.tick();
        QVERIFY(controller.hasActive("api", "default"));
    }

    void aConfigRolloutDoesNotRunAgainAfterALaterOne()
    {
        TempState state;
        ManualClock clock;
        TrafficDouble traffic;
        Events events;
        const auto file = stateFile(state);
        {
            RolloutController controller(traffic, clock, file, events.sink());
            controller.applyConfig({canarySpec()});
            QVERIFY(controller.act("web", "default", Action::Promote));
            controller.tick(); // succeeded
            auto later = canarySpec();
            later.stable = "v2";
            later.candidate = "v1"; // the user's own rollout afterwards
            QVERIFY(controller.start(later, "api"));
            QVERIFY(controller.act("web", "default", Action::Abort));
        }
        RolloutController restarted(traffic, clock, file, events.sink());
        QVERIFY(restarted.load());
        restarted.applyConfig({canarySpec()}); // the same file at the next start
        QCOMPARE(restarted.find("web", "default")->phase, Phase::Aborted);
        QCOMPARE(restarted.list().size(), std::size_t(2));
    }

    void aConfigRolloutWaitsForTheActiveOne()
    {
        TempState state;
        ManualClock clock;
        TrafficDouble traffic;
        Events events;
        RolloutController controller(traffic, clock, stateFile(state), events.sink());
        QVERIFY(controller.start(canarySpec(), "api"));
        auto fromFile = canarySpec();
        fromFile.stepWeight = 20;
        controller.applyConfig({fromFile});
        QVERIFY(events.said("waits: web.default has an active rollout"));
        QCOMPARE(controller.list().size(), std::size_t(1));
        QVERIFY(controller.act("web", "default", Action::Abort));
        controller.tick();
        QCOMPARE(controller.find("web", "default")->spec.stepWeight, 20u);
    }

    void aSaveThatFailsIsReportedOnceAndRecovers()
    {
        TempState state;
        ManualClock clock;
        TrafficDouble traffic;
        Events events;
        const auto file = stateFile(state);
        RolloutController controller(traffic, clock, file, events.sink());
        QVERIFY(controller.start(canarySpec(), "api"));
        // Something in the way that no rename replaces, even for root: a directory with a file.
        std::filesystem::remove(file);
        std::filesystem::create_directories(file / "in-the-way");
        QVERIFY(controller.act("web", "default", Action::Pause)); // the action itself holds
        QVERIFY(controller.act("web", "default", Action::Resume));
        QVERIFY(controller.saveProblem());
        QCOMPARE(std::count_if(events.seen.begin(), events.seen.end(),
                               [](const auto &e) {
                                   return e.second.find("could not be saved") != std::string::npos;
                               }),
                 1);
        std::filesystem::remove_all(file);
        QVERIFY(controller.act("web", "default", Action::Pause));
        QVERIFY(!controller.saveProblem());
        QVERIFY(events.said("saved again"));
        RolloutController reader(traffic, clock, file, events.sink());
        QVERIFY(reader.load());
        QCOMPARE(reader.find("web", "default")->phase, Phase::Paused);
    }

    void manualSplitPauses()
    {
        TempState state;
        ManualClock clock;
        TrafficDouble traffic;
        Events events;
        RolloutController controller(traffic, clock, stateFile(state), events.sink());
        QVERIFY(controller.start(canarySpec(), "api"));
        traffic.splitNow = {{"v1", 0}, {"v2", 100}};
        controller.splitChangedByHand("web", "default", "to v1=0 v2=100 through the admin API");
        QCOMPARE(controller.find("web", "default")->phase, Phase::Paused);
        QVERIFY(events.said("through the admin API"));
    }

    void historyIsBounded()
    {
        TempState state;
        ManualClock clock;
        TrafficDouble traffic;
        Events events;
        RolloutController controller(traffic, clock, stateFile(state), events.sink());
        for (std::size_t i = 0; i < RolloutController::MaxHistoryPerService + 5; ++i) {
            QVERIFY(controller.start(canarySpec(), "api"));
            QVERIFY(controller.act("web", "default", Action::Abort));
        }
        QVERIFY(controller.start(canarySpec(), "api"));
        QCOMPARE(controller.list().size(), RolloutController::MaxHistoryPerService + 1);
        QVERIFY(isActive(controller.list().front().phase));
    }

    void jsonRoundTrip()
    {
        TempState state;
        ManualClock clock;
        TrafficDouble traffic;
        Events events;
        RolloutController controller(traffic, clock, stateFile(state), events.sink());
        auto spec = canarySpec();
        spec.analysis.maxSuccessRateDrop = 0.5;
        spec.traffic.enabled = true;
        spec.traffic.paths = {"/a", "/b"};
        QVERIFY(controller.start(spec, "api"));
        traffic.serve("v2", 5, 1);
        clock.advance(std::chrono::seconds(10));
        controller.tick();
        const auto status = *controller.find("web", "default");
        QCOMPARE(status.intervals.size(), std::size_t(1));
        const auto back = statusFromJson(toJson(status));
        QVERIFY(back);
        QCOMPARE(*back, status);
        const auto list = statusesFromJson(toJson(controller.list()));
        QVERIFY(list);
        QCOMPARE(list->size(), std::size_t(1));
    }

    void specFromUsersIsStrict()
    {
        const auto parse
            = [](const char *text) { return specFromJson(nlohmann::json::parse(text)); };
        const auto minimal = parse(R"({"service": "web", "candidate": "v2"})");
        QVERIFY(minimal);
        QCOMPARE(minimal->strategy, control::RolloutStrategy::Canary);
        QCOMPARE(minimal->analysis.minRequests, 20u);
        const auto ab = parse(R"({"service": "web", "candidate": "v2", "strategy": "ab",
                                  "match": {"cookie": "beta", "value": "1"},
                                  "analysis": {"max_p99_ms": null, "max_p99_ratio": 1.5}})");
        QVERIFY(ab);
        QCOMPARE(ab->match->kind, control::RequestMatch::Kind::Cookie);
        QVERIFY(!ab->analysis.maxP99Ms);
        QCOMPARE(*ab->analysis.maxP99Ratio, 1.5);
        const struct {
            const char *body;
            const char *says;
        } bad[] = {
            {R"({"service": "web"})", "needs at least a \"service\" and a \"candidate\""},
            {R"({"service": "web", "candidate": "v2", "colour": 1})", "unknown field \"colour\""},
            {R"({"service": "web", "candidate": 2})", "\"candidate\" in the rollout must be text"},
            {R"({"service": "web", "candidate": "v2", "strategy": "big-bang"})", "\"canary\""},
            {R"({"service": "web", "candidate": "v2", "step_weight": 101})", "from 0 to 100"},
            {R"({"service": "web", "candidate": "v2", "analysis": {"min_requests": -1}})",
             "\"min_requests\" in \"analysis\""},
            {R"({"service": "web", "candidate": "v2", "match": {"value": "x"}})",
             "a \"header\" or a \"cookie\""},
            {R"({"service": "web", "candidate": "v2", "analysis_traffic": {"paths": "/"}})",
             "\"paths\""},
            {R"([1, 2])", "must be a JSON object"},
        };
        for (const auto &b : bad) {
            const auto parsed = parse(b.body);
            QVERIFY2(!parsed, b.body);
            QVERIFY2(parsed.error().message.find(b.says) != std::string::npos,
                     parsed.error().message.c_str());
        }
    }
};

QTEST_APPLESS_MAIN(TestRolloutController)
#include "tst_rollout_controller.moc"
