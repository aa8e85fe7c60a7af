#include <QTest>

#include "export/k8s_export.h"
#include "export_samples.h"

using namespace export_samples;
using meshcore::kube::flaggerDocuments;

class TestFlaggerExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aCanaryWithLinkerdsBuiltInMetrics()
    {
        const auto config = shop();
        const auto text = flaggerDocuments(config.services[0], config.rollouts[0], {});
        const auto docs = documents(text);
        QCOMPARE(docs.size(), std::size_t(1));
        const auto &canary = docs[0];
        QCOMPARE(str(canary["apiVersion"]), std::string("flagger.app/v1beta1"));
        QCOMPARE(str(canary["kind"]), std::string("Canary"));
        QCOMPARE(str(canary["metadata"]["name"]), std::string("catalog"));
        QCOMPARE(str(canary["metadata"]["namespace"]), std::string("shop"));
        const auto spec = canary["spec"];
        QCOMPARE(str(spec["provider"]), std::string("linkerd"));
        QCOMPARE(str(spec["targetRef"]["apiVersion"]), std::string("apps/v1"));
        QCOMPARE(str(spec["targetRef"]["kind"]), std::string("Deployment"));
        QCOMPARE(str(spec["targetRef"]["name"]), std::string("catalog"));
        QCOMPARE(spec["service"]["port"].as<int>(), 80);
        QVERIFY(!spec["service"]["gatewayRefs"]);
        const auto analysis = spec["analysis"];
        QCOMPARE(str(analysis["interval"]), std::string("1m"));
        QCOMPARE(analysis["threshold"].as<int>(), 3);
        // 50 is no multiple of 20: Flagger would go 20, 40, 60; the list keeps meshd's walk.
        QVERIFY(!analysis["stepWeight"] && !analysis["maxWeight"]);
        QCOMPARE(analysis["stepWeights"].as<std::vector<int>>(), (std::vector<int> {20, 40, 50}));
        QVERIFY(!analysis["iterations"] && !analysis["match"]);
        const auto metrics = analysis["metrics"];
        QCOMPARE(metrics.size(), std::size_t(2));
        QCOMPARE(str(metrics[0]["name"]), std::string("request-success-rate"));
        QCOMPARE(metrics[0]["thresholdRange"]["min"].as<double>(), 99.5);
        QCOMPARE(str(metrics[0]["interval"]), std::string("1m"));
        QVERIFY(!metrics[0]["templateRef"]);
        QCOMPARE(str(metrics[1]["name"]), std::string("request-duration"));
        QCOMPARE(metrics[1]["thresholdRange"]["max"].as<double>(), 250.0);
        QCOMPARE(str(metrics[1]["interval"]), std::string("1m"));
    }

    void aWholeStepCanaryKeepsStepAndMaxWeight()
    {
        auto config = shop();
        auto rollout = config.rollouts[0];
        rollout.stepWeight = 10;
        rollout.maxWeight = 30;
        rollout.analysis.maxP99Ms.reset();
        const auto analysis
            = documents(flaggerDocuments(config.services[0], rollout, {}))[0]["spec"]["analysis"];
        QCOMPARE(analysis["stepWeight"].as<int>(), 10);
        QCOMPARE(analysis["maxWeight"].as<int>(), 30);
        QVERIFY(!analysis["stepWeights"]);
        QCOMPARE(analysis["metrics"].size(), std::size_t(1)); // max_p99: none
    }

    void blueGreenCountsIterations()
    {
        auto config = shop();
        auto rollout = config.rollouts[0];
        rollout.strategy = meshcore::control::RolloutStrategy::BlueGreen;
        rollout.iterations = 7;
        const auto spec = documents(flaggerDocuments(config.services[0], rollout, {}))[0]["spec"];
        QCOMPARE(str(spec["provider"]), std::string("linkerd"));
        QCOMPARE(spec["analysis"]["iterations"].as<int>(), 7);
        QVERIFY(!spec["analysis"]["stepWeights"] && !spec["analysis"]["stepWeight"]);
    }

    void abUsesTheGatewayApiProviderWithLinkerdMetricTemplates()
    {
        const auto config = shop();
        const auto text = flaggerDocuments(config.services[1], config.rollouts[1], {.port = 8080});
        const auto docs = documents(text);
        QCOMPARE(docs.size(), std::size_t(3));
        const auto spec = docs[0]["spec"];
        QCOMPARE(str(spec["provider"]), std::string("gatewayapi:v1beta1"));
        const auto ref = spec["service"]["gatewayRefs"][0];
        QCOMPARE(str(ref["name"]), std::string("web"));
        QCOMPARE(str(ref["namespace"]), std::string("default"));
        QCOMPARE(str(ref["kind"]), std::string("Service"));
        QCOMPARE(ref["port"].as<int>(), 8080);
        const auto analysis = spec["analysis"];
        QCOMPARE(analysis["iterations"].as<int>(), 4);
        QCOMPARE(str(analysis["interval"]), std::string("30s"));
        QCOMPARE(analysis["threshold"].as<int>(), 2);
        QCOMPARE(str(analysis["match"][0]["headers"]["cookie"]["regex"]),
                 std::string("^(.*?;\\s*)?canary=always(;.*)?$"));
        QCOMPARE(str(analysis["metrics"][0]["templateRef"]["name"]),
                 std::string("web-request-success-rate"));
        QCOMPARE(str(analysis["metrics"][1]["templateRef"]["name"]),
                 std::string("web-request-duration"));
        QCOMPARE(analysis["metrics"][0]["thresholdRange"]["min"].as<double>(), 99.0);
        for (std::size_t i = 1; i < 3; ++i) {
            QCOMPARE(str(docs[i]["kind"]), std::string("MetricTemplate"));
            QCOMPARE(str(docs[i]["spec"]["provider"]["type"]), std::string("prometheus"));
            QCOMPARE(str(docs[i]["spec"]["provider"]["address"]),
                     std::string("http://prometheus.linkerd-viz.svc.cluster.local:9090"));
        }
        QVERIFY(str(docs[1]["spec"]["query"])
                    .starts_with("sum(rate(response_total{namespace=\"{{ namespace }}\", "
                                 "deployment=~\"{{ target }}\", direction=\"inbound\", "
                                 "classification!=\"failure\"}[{{ interval }}]))"));
        QVERIFY(str(docs[2]["spec"]["query"])
                    .starts_with("histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{"));
        const auto notes = comments(text, 0);
        QVERIFY(mentions(notes, "no header routing"));
        QVERIFY(mentions(notes, "regular expression on the Cookie header"));
    }

    void aHeaderMatchIsExact()
    {
        auto config = shop();
        auto rollout = config.rollouts[1];
        rollout.match = {meshcore::control::RequestMatch::Kind::Header, "x-canary", "yes"};
        const auto match = documents(
            flaggerDocuments(config.services[1], rollout, {}))[0]["spec"]["analysis"]["match"];
        QCOMPARE(str(match[0]["headers"]["x-canary"]["exact"]), std::string("yes"));
        QCOMPARE(match[0]["headers"]["x-canary"]["exact"].Tag(), std::string("!")); // not true
        rollout.match = {meshcore::control::RequestMatch::Kind::Cookie, "v", "1.0"};
        const auto cookie = documents(flaggerDocuments(config.services[1], rollout, {}))[0];
        QCOMPARE(str(cookie["spec"]["analysis"]["match"][0]["headers"]["cookie"]["regex"]),
                 std::string("^(.*?;\\s*)?v=1\\.0(;.*)?$")); // the dot escaped
    }

    void whatFlaggerCannotSayIsACommentAtTheTop()
    {
        const auto config = shop();
        const auto notes
            = comments(flaggerDocuments(config.services[0], config.rollouts[0], {}), 0);
        QVERIFY(notes.front().starts_with("Flagger Canary for catalog.shop"));
        QVERIFY(mentions(notes, "Left out"));
        QVERIFY(mentions(notes, "min_requests (20)"));
        QVERIFY(mentions(notes, "max_hold (5m)"));
        QVERIFY(mentions(notes, "max_p99_ratio 1.5"));
        QVERIFY(!mentions(notes, "max_success_rate_drop"));
        QVERIFY(mentions(notes, "analysis_traffic"));
        QVERIFY(mentions(notes, "max_evidence_age (10m)"));
        QVERIFY(mentions(notes, "do not apply this service's exported HTTPRoute"));
        QVERIFY(!mentions(notes, "no header routing"));
    }
};

QTEST_APPLESS_MAIN(TestFlaggerExport)
#include "tst_flagger_export.moc"
