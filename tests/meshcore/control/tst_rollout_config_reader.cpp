#include <QTest>

#include "control/mesh_config.h"

using meshcore::control::parseMeshConfig;
using meshcore::control::RequestMatch;
using meshcore::control::RolloutSpec;
using meshcore::control::RolloutStrategy;
using namespace std::chrono_literals;

namespace {

// Lines 1-11; the rollouts start on line 12.
constexpr const char *Services = R"(mesh: {name: shop}
services:
  - name: catalog
    namespace: shop
    versions:
      - {name: v1, replicas: [{port: 9001}]}
      - {name: v2, replicas: [{port: 9002}]}
  - name: web
    versions:
      - {name: v1, replicas: [{port: 9003}]}
rollouts:
)";

meshcore::Result<meshcore::control::MeshConfig> parse(const QString &rollouts)
{
    return parseMeshConfig(Services + rollouts.toStdString(), "mesh.yaml");
}

} // namespace

class TestRolloutConfigReader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsEveryField()
    {
        const auto config = parse(R"(  - service: catalog
    namespace: shop
    stable: v1
    candidate: v2
    strategy: canary
    step_weight: 20
    max_weight: 60
    interval: 1m30s
    analysis:
      min_success_rate: 99.5
      max_p99: 750ms
      min_requests: 40
      max_success_rate_drop: 1.5
      max_p99_ratio: 1.25
      failure_threshold: 3
      max_hold: 7m
    analysis_traffic: {rps: 2.5, paths: [/, /items]}
    max_evidence_age: 20m
)");
        QVERIFY2(config, config ? "" : config.error().message.c_str());
        QCOMPARE(config->rollouts.size(), std::size_t(1));
        const auto &spec = config->rollouts.front();
        QCOMPARE(spec.service, std::string("catalog"));
        QCOMPARE(spec.ns, std::string("shop"));
        QCOMPARE(spec.stable, std::string("v1"));
        QCOMPARE(spec.candidate, std::string("v2"));
        QCOMPARE(spec.strategy, RolloutStrategy::Canary);
        QCOMPARE(spec.stepWeight, 20u);
        QCOMPARE(spec.maxWeight, 60u);
        QCOMPARE(spec.interval, std::chrono::seconds(90));
        QCOMPARE(spec.analysis.minSuccessRate, 99.5);
        QCOMPARE(*spec.analysis.maxP99Ms, 750.0);
        QCOMPARE(spec.analysis.minRequests, 40u);
        QCOMPARE(*spec.analysis.maxSuccessRateDrop, 1.5);
        QCOMPARE(*spec.analysis.maxP99Ratio, 1.25);
        QCOMPARE(spec.analysis.failureThreshold, 3u);
        QCOMPARE(spec.analysis.maxHold, std::chrono::seconds(420));
        QVERIFY(spec.traffic.enabled);
        QCOMPARE(spec.traffic.rps, 2.5);
        QCOMPARE(spec.traffic.paths, (std::vector<std::string> {"/", "/items"}));
        QCOMPARE(spec.maxEvidenceAge, std::chrono::seconds(1200));
        QVERIFY(!spec.match);
    }

    void leftOutFieldsTakeTheSpecDefaults()
    {
        const auto config = parse("  - {service: catalog, stable: v1, candidate: v2}\n");
        QVERIFY2(config, config ? "" : config.error().message.c_str());
        auto expected = RolloutSpec {};
        expected.service = "catalog";
        expected.ns = "shop"; // the one service of that name
        expected.stable = "v1";
        expected.candidate = "v2";
        QCOMPARE(config->rollouts.front(), expected);
        QVERIFY(!expected.traffic.enabled);
        QCOMPARE(*expected.analysis.maxP99Ms, 500.0);
        QVERIFY(!expected.analysis.maxSuccessRateDrop && !expected.analysis.maxP99Ratio);
    }

    void noRolloutsSectionMeansNone()
    {
        const auto config = parseMeshConfig("mesh: {name: a}\n", "mesh.yaml");
        QVERIFY(config);
        QVERIFY(config->rollouts.empty());
    }

    void readsBlueGreenAndAbWithTheirMatch()
    {
        const auto blueGreen = parse(
            "  - {service: catalog, stable: v1, candidate: v2, strategy: blue-green, iterations: "
            "3, analysis: {max_p99: none}}\n");
        QVERIFY2(blueGreen, blueGreen ? "" : blueGreen.error().message.c_str());
        QCOMPARE(blueGreen->rollouts.front().strategy, RolloutStrategy::BlueGreen);
        QCOMPARE(blueGreen->rollouts.front().iterations, 3u);
        QVERIFY(!blueGreen->rollouts.front().analysis.maxP99Ms);
        QVERIFY(blueGreen->rollouts.front().traffic.enabled); // on by default for blue/green
        const auto idle = parse("  - {service: catalog, stable: v1, candidate: v2, "
                                "analysis_traffic: {rps: 5, when_idle: true}}\n");
        QVERIFY2(idle, idle ? "" : idle.error().message.c_str());
        QVERIFY(idle->rollouts.front().traffic.whenIdle);

        const auto header = parse("  - {service: catalog, stable: v1, candidate: v2, strategy: ab, "
                                  "iterations: 4, match: {header: x-canary, value: \"yes\"}}\n");
        QVERIFY2(header, header ? "" : header.error().message.c_str());
        QCOMPARE(header->rollouts.front().strategy, RolloutStrategy::AB);
        QCOMPARE(header->rollouts.front().iterations, 4u);
        QCOMPARE(*header->rollouts.front().match,
                 (RequestMatch {RequestMatch::Kind::Header, "x-canary", "yes"}));

        const auto cookie = parse("  - {service: catalog, stable: v1, candidate: v2, strategy: ab, "
                                  "match: {cookie: canary, value: always}}\n");
        QVERIFY2(cookie, cookie ? "" : cookie.error().message.c_str());
        QCOMPARE(*cookie->rollouts.front().match,
                 (RequestMatch {RequestMatch::Kind::Cookie, "canary", "always"}));
    }

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void errorsNameLineAndColumn_data()
    {
        QTest::addColumn<QString>("rollouts");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not a list") << "  service: catalog\n"
                                    << "mesh.yaml:12:3: 'rollouts' must be a list";
        QTest::newRow("unknown key")
            << "  - {service: catalog, stable: v1, candidate: v2, stepweight: 5}\n"
            << "mesh.yaml:12:51: unknown key 'stepweight' in a rollout (expected one of: service, "
               "namespace, stable, candidate, strategy, step_weight, max_weight, interval, "
               "iterations, match, analysis, analysis_traffic, max_evidence_age)";
        QTest::newRow("no candidate") << "  - {service: catalog, stable: v1}\n"
                                      << "mesh.yaml:12:5: a rollout needs 'candidate'";
        QTest::newRow("unknown service")
            << "  - {service: cart, stable: v1, candidate: v2}\n"
            << "mesh.yaml:12:15: the rollout names service 'cart', which this mesh does not have";
        QTest::newRow("wrong namespace")
            << "  - {service: catalog, namespace: web, stable: v1, candidate: v2}\n"
            << "mesh.yaml:12:35: there is no service 'catalog' in namespace 'web' (it is in: shop)";
        QTest::newRow("unknown stable")
            << "  - {service: catalog, stable: v0, candidate: v2}\n"
            << "mesh.yaml:12:32: service 'catalog' has no version 'v0' (it has: v1, v2)";
        QTest::newRow("unknown candidate")
            << "  - {service: web, stable: v1, candidate: v2}\n"
            << "mesh.yaml:12:43: service 'web' has no version 'v2' (it has: v1)";
        QTest::newRow("same versions")
            << "  - {service: catalog, stable: v1, candidate: v1}\n"
            << "mesh.yaml:12:47: the candidate must be another version than stable 'v1'";
        QTest::newRow("two for a service")
            << "  - {service: catalog, stable: v1, candidate: v2}\n"
               "  - {service: catalog, stable: v2, candidate: v1}\n"
            << "mesh.yaml:13:15: service 'catalog' already has a rollout (at line 12); one rollout "
               "per service";
        QTest::newRow("unknown strategy")
            << "  - {service: catalog, stable: v1, candidate: v2, strategy: linear}\n"
            << "mesh.yaml:12:61: unknown strategy 'linear' (expected canary, blue-green or ab)";
        QTest::newRow("step weight over 100")
            << "  - {service: catalog, stable: v1, candidate: v2, step_weight: 150}\n"
            << "mesh.yaml:12:64: 'step_weight' (percent) must be from 1 to 100, not 150";
        QTest::newRow("max below step")
            << "  - {service: catalog, stable: v1, candidate: v2, step_weight: 30, max_weight: "
               "20}\n"
            << "mesh.yaml:12:80: 'max_weight' (20) cannot be below 'step_weight' (30)";
        QTest::newRow("step weight on blue-green")
            << "  - {service: catalog, stable: v1, candidate: v2, strategy: blue-green, "
               "step_weight: 5}\n"
            << "mesh.yaml:12:86: 'step_weight' is not used by a blue-green rollout";
        QTest::newRow("iterations on canary")
            << "  - {service: catalog, stable: v1, candidate: v2, iterations: 5}\n"
            << "mesh.yaml:12:63: 'iterations' is not used by a canary rollout";
        QTest::newRow("match on canary")
            << "  - {service: catalog, stable: v1, candidate: v2, match: {header: a, value: b}}\n"
            << "mesh.yaml:12:58: 'match' is not used by a canary rollout";
        QTest::newRow("ab without match")
            << "  - {service: catalog, stable: v1, candidate: v2, strategy: ab}\n"
            << "mesh.yaml:12:5: an ab rollout needs 'match'";
        QTest::newRow("match with both")
            << "  - {service: catalog, stable: v1, candidate: v2, strategy: ab, match: {header: a, "
               "cookie: b, value: c}}\n"
            << "mesh.yaml:12:72: 'match' needs exactly one of 'header' and 'cookie'";
        QTest::newRow("match without value")
            << "  - {service: catalog, stable: v1, candidate: v2, strategy: ab, match: {header: "
               "a}}\n"
            << "mesh.yaml:12:72: 'match' needs the 'value'";
        QTest::newRow("bad header name")
            << "  - {service: catalog, stable: v1, candidate: v2, strategy: ab, match: {header: "
               "\"a b\", value: c}}\n"
            << "mesh.yaml:12:81: 'a b' is not a header or cookie name";
        QTest::newRow("interval too short")
            << "  - {service: catalog, stable: v1, candidate: v2, interval: 500ms}\n"
            << "mesh.yaml:12:61: 'interval' must be at least 1s";
        QTest::newRow("interval too long")
            << "  - {service: catalog, stable: v1, candidate: v2, interval: 25h}\n"
            << "mesh.yaml:12:61: 'interval' must be at most 24h";
        QTest::newRow("bare number interval")
            << "  - {service: catalog, stable: v1, candidate: v2, interval: 30}\n"
            << "mesh.yaml:12:61: 'interval': ";
        QTest::newRow("analysis not a map")
            << "  - {service: catalog, stable: v1, candidate: v2, analysis: 99}\n"
            << "mesh.yaml:12:61: 'analysis' must be a map";
        QTest::newRow("unknown analysis key")
            << "  - service: catalog\n    stable: v1\n    candidate: v2\n    analysis:\n"
               "      min_sucess_rate: 99\n"
            << "mesh.yaml:16:7: unknown key 'min_sucess_rate' in 'analysis'";
        QTest::newRow("success rate over 100")
            << "  - service: catalog\n    stable: v1\n    candidate: v2\n    analysis:\n"
               "      min_success_rate: 101\n"
            << "mesh.yaml:16:25: 'min_success_rate' (percent) must be from 0 to 100, not 101";
        QTest::newRow("p99 not a duration")
            << "  - service: catalog\n    stable: v1\n    candidate: v2\n    analysis:\n"
               "      max_p99: 500\n"
            << "mesh.yaml:16:16: 'max_p99': ";
        QTest::newRow("zero min requests")
            << "  - service: catalog\n    stable: v1\n    candidate: v2\n    analysis:\n"
               "      min_requests: 0\n"
            << "mesh.yaml:16:21: 'min_requests' must be from 1 to 1000000, not 0";
        QTest::newRow("drop over 100")
            << "  - service: catalog\n    stable: v1\n    candidate: v2\n    analysis:\n"
               "      max_success_rate_drop: 150\n"
            << "mesh.yaml:16:30: 'max_success_rate_drop' (points) must be from 0 to 100";
        QTest::newRow("ratio below 1")
            << "  - service: catalog\n    stable: v1\n    candidate: v2\n    analysis:\n"
               "      max_p99_ratio: 0.5\n"
            << "mesh.yaml:16:22: 'max_p99_ratio' must be from 1 to 1000, not 0.5";
        QTest::newRow("zero failure threshold")
            << "  - service: catalog\n    stable: v1\n    candidate: v2\n    analysis:\n"
               "      failure_threshold: 0\n"
            << "mesh.yaml:16:26: 'failure_threshold' must be from 1 to 1000, not 0";
        QTest::newRow("max hold too short")
            << "  - service: catalog\n    stable: v1\n    candidate: v2\n    analysis:\n"
               "      max_hold: 0s\n"
            << "mesh.yaml:16:17: 'max_hold' must be at least 1s";
        QTest::newRow("zero rps")
            << "  - {service: catalog, stable: v1, candidate: v2, analysis_traffic: {rps: 0}}\n"
            << "mesh.yaml:12:75: 'rps' must be more than 0";
        QTest::newRow("unknown traffic key")
            << "  - {service: catalog, stable: v1, candidate: v2, analysis_traffic: {path: /}}\n"
            << "mesh.yaml:12:70: unknown key 'path' in 'analysis_traffic' (expected one of: rps, "
               "paths, when_idle)";
        QTest::newRow("relative path")
            << "  - {service: catalog, stable: v1, candidate: v2, analysis_traffic: {paths: [/, "
               "items]}}\n"
            << "mesh.yaml:12:81: paths start with '/'";
        QTest::newRow("empty paths")
            << "  - {service: catalog, stable: v1, candidate: v2, analysis_traffic: {paths: []}}\n"
            << "mesh.yaml:12:77: 'paths' must be a list of at least one path";
        QTest::newRow("evidence age too short")
            << "  - {service: catalog, stable: v1, candidate: v2, max_evidence_age: 0s}\n"
            << "mesh.yaml:12:69: 'max_evidence_age' must be at least 1s";
    }
    void errorsNameLineAndColumn()
    {
        QFETCH(QString, rollouts);
        QFETCH(QString, expected);
        const auto config = parse(rollouts);
        QVERIFY2(!config, qPrintable(rollouts));
        QCOMPARE(config.error().code, meshcore::ErrorCode::Config);
        const auto message = QString::fromStdString(config.error().message);
        QVERIFY2(message.startsWith(expected), qPrintable(message));
    }

    void aServiceInTwoNamespacesNeedsOne()
    {
        const auto config = parseMeshConfig(R"(mesh: {name: m}
services:
  - {name: api, namespace: a, versions: [{name: v1, replicas: [{port: 1}]}, {name: v2, replicas: [{port: 2}]}]}
  - {name: api, namespace: b, versions: [{name: v1, replicas: [{port: 3}]}, {name: v2, replicas: [{port: 4}]}]}
rollouts:
  - {service: api, stable: v1, candidate: v2}
)",
                                            "mesh.yaml");
        QVERIFY(!config);
        QCOMPARE(config.error().message,
                 std::string("mesh.yaml:6:15: service 'api' is in several namespaces (a, b): add "
                             "'namespace'"));
        const auto named = parseMeshConfig(R"(mesh: {name: m}
services:
  - {name: api, namespace: a, versions: [{name: v1, replicas: [{port: 1}]}, {name: v2, replicas: [{port: 2}]}]}
  - {name: api, namespace: b, versions: [{name: v1, replicas: [{port: 3}]}, {name: v2, replicas: [{port: 4}]}]}
rollouts:
  - {service: api, namespace: b, stable: v1, candidate: v2}
  - {service: api, namespace: a, stable: v2, candidate: v1}
)",
                                           "mesh.yaml");
        QVERIFY2(named, named ? "" : named.error().message.c_str());
        QCOMPARE(named->rollouts.at(0).ns, std::string("b"));
        QCOMPARE(named->rollouts.at(1).ns, std::string("a"));
    }
};

QTEST_APPLESS_MAIN(TestRolloutConfigReader)
#include "tst_rollout_config_reader.moc"
