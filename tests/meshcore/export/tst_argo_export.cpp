#include <QTest>

#include "export/k8s_export.h"
#include "export_samples.h"

using namespace export_samples;
using meshcore::kube::argoDocuments;

class TestArgoExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aCanaryStepsThroughTheWeightsOverTheGatewayApiPlugin()
    {
        const auto config = shop();
        const auto docs = documents(argoDocuments(config.services[0], config.rollouts[0], {}));
        QCOMPARE(docs.size(), std::size_t(2));
        const auto &rollout = docs[0];
        QCOMPARE(str(rollout["apiVersion"]), std::string("argoproj.io/v1alpha1"));
        QCOMPARE(str(rollout["kind"]), std::string("Rollout"));
        QCOMPARE(str(rollout["metadata"]["name"]), std::string("catalog"));
        QCOMPARE(str(rollout["metadata"]["namespace"]), std::string("shop"));
        const auto workload = rollout["spec"]["workloadRef"];
        QCOMPARE(str(workload["apiVersion"]), std::string("apps/v1"));
        QCOMPARE(str(workload["kind"]), std::string("Deployment"));
        QCOMPARE(str(workload["name"]), std::string("catalog"));
        const auto canary = rollout["spec"]["strategy"]["canary"];
        QCOMPARE(str(canary["stableService"]), std::string("catalog-v1"));
        QCOMPARE(str(canary["canaryService"]), std::string("catalog-v2"));
        const auto plugin = canary["trafficRouting"]["plugins"]["argoproj-labs/gatewayAPI"];
        QCOMPARE(str(plugin["namespace"]), std::string("shop"));
        QCOMPARE(plugin["httpRoutes"].size(), std::size_t(2));
        QCOMPARE(str(plugin["httpRoutes"][0]["name"]), std::string("catalog"));
        QCOMPARE(str(plugin["httpRoutes"][1]["name"]), std::string("catalog-checkout"));
        QVERIFY(!canary["trafficRouting"]["managedRoutes"]);
        const auto analysis = canary["analysis"];
        QCOMPARE(str(analysis["templates"][0]["templateName"]), std::string("catalog-analysis"));
        QCOMPARE(str(analysis["args"][0]["name"]), std::string("canary-hash"));
        QCOMPARE(str(analysis["args"][0]["valueFrom"]["podTemplateHashValue"]),
                 std::string("Latest"));
        QCOMPARE(analysis["startingStep"].as<int>(), 1);
        const auto steps = canary["steps"];
        QCOMPARE(steps.size(), std::size_t(6));
        const int weights[] = {20, 40, 50};
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(steps[2 * i]["setWeight"].as<int>(), weights[i]);
            QCOMPARE(str(steps[2 * i + 1]["pause"]["duration"]), std::string("1m"));
        }
    }

    void theAnalysisTemplateAsksLinkerdsMetrics()
    {
        const auto config = shop();
        const auto text = argoDocuments(config.services[0], config.rollouts[0],
                                        {.prometheus = "http://prom:9090"});
        const auto tmpl = documents(text)[1];
        QCOMPARE(str(tmpl["apiVersion"]), std::string("argoproj.io/v1alpha1"));
        QCOMPARE(str(tmpl["kind"]), std::string("AnalysisTemplate"));
        QCOMPARE(str(tmpl["metadata"]["name"]), std::string("catalog-analysis"));
        QCOMPARE(str(tmpl["metadata"]["namespace"]), std::string("shop"));
        QCOMPARE(str(tmpl["spec"]["args"][0]["name"]), std::string("canary-hash"));
        const auto metrics = tmpl["spec"]["metrics"];
        QCOMPARE(metrics.size(), std::size_t(2));
        QCOMPARE(str(metrics[0]["name"]), std::string("success-rate"));
        QCOMPARE(str(metrics[0]["interval"]), std::string("1m"));
        QVERIFY(!metrics[0]["count"]); // a canary's analysis runs in the background
        QCOMPARE(str(metrics[0]["successCondition"]), std::string("result[0] >= 99.5"));
        QCOMPARE(metrics[0]["failureLimit"].as<int>(), 2); // failure_threshold 3
        QCOMPARE(str(metrics[0]["provider"]["prometheus"]["address"]),
                 std::string("http://prom:9090"));
        QCOMPARE(str(metrics[0]["provider"]["prometheus"]["query"]),
                 std::string("sum(rate(response_total{namespace=\"shop\", "
                             "rollouts_pod_template_hash=\"{{args.canary-hash}}\", "
                             "direction=\"inbound\", classification!=\"failure\"}[1m])) / "
                             "sum(rate(response_total{namespace=\"shop\", "
                             "rollouts_pod_template_hash=\"{{args.canary-hash}}\", "
                             "direction=\"inbound\"}[1m])) * 100"));
        QCOMPARE(str(metrics[1]["name"]), std::string("p99-latency"));
        QCOMPARE(str(metrics[1]["successCondition"]), std::string("result[0] <= 250"));
        QCOMPARE(str(metrics[1]["provider"]["prometheus"]["query"]),
                 std::string("histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{"
                             "namespace=\"shop\", rollouts_pod_template_hash=\"{{args.canary-"
                             "hash}}\", direction=\"inbound\"}[1m])) by (le))"));
        QVERIFY(mentions(comments(text, 1), "failureLimit"));
    }

    void abSetsAHeaderRouteForTheIterations()
    {
        const auto config = shop();
        const auto text = argoDocuments(config.services[1], config.rollouts[1], {});
        const auto docs = documents(text);
        const auto canary = docs[0]["spec"]["strategy"]["canary"];
        QCOMPARE(str(canary["stableService"]), std::string("web-v1"));
        QCOMPARE(str(canary["canaryService"]), std::string("web-v2"));
        QCOMPARE(str(canary["trafficRouting"]["managedRoutes"][0]["name"]), std::string("web-ab"));
        const auto route
            = canary["trafficRouting"]["plugins"]["argoproj-labs/gatewayAPI"]["httpRoutes"][0];
        QCOMPARE(str(route["name"]), std::string("web"));
        QCOMPARE(route["useHeaderRoutes"].as<bool>(), true);
        QVERIFY(!canary["analysis"]["startingStep"]);
        const auto steps = canary["steps"];
        QCOMPARE(steps.size(), std::size_t(2));
        const auto header = steps[0]["setHeaderRoute"];
        QCOMPARE(str(header["name"]), std::string("web-ab"));
        QCOMPARE(str(header["match"][0]["headerName"]), std::string("Cookie"));
        QCOMPARE(str(header["match"][0]["headerValue"]["regex"]),
                 std::string("^(.*?;\\s*)?canary=always(;.*)?$"));
        QCOMPARE(str(steps[1]["pause"]["duration"]), std::string("2m")); // 4 x 30s
        QCOMPARE(docs[1]["spec"]["metrics"][0]["count"].as<int>(), 4);
        QVERIFY(mentions(comments(text, 0), "regular expression on the Cookie header"));
    }

    void blueGreenSwitchesServicesAfterPrePromotionAnalysis()
    {
        auto config = shop();
        auto rollout = config.rollouts[0];
        rollout.strategy = meshcore::control::RolloutStrategy::BlueGreen;
        rollout.iterations = 3;
        const auto docs = documents(argoDocuments(config.services[0], rollout, {}));
        const auto strategy = docs[0]["spec"]["strategy"];
        QVERIFY(!strategy["canary"]);
        const auto blueGreen = strategy["blueGreen"];
        QCOMPARE(str(blueGreen["activeService"]), std::string("catalog-v1"));
        QCOMPARE(str(blueGreen["previewService"]), std::string("catalog-v2"));
        QCOMPARE(blueGreen["autoPromotionEnabled"].as<bool>(), true);
        QCOMPARE(str(blueGreen["prePromotionAnalysis"]["templates"][0]["templateName"]),
                 std::string("catalog-analysis"));
        QCOMPARE(docs[1]["spec"]["metrics"][0]["count"].as<int>(), 3);
    }

    void whatArgoCannotSayIsACommentAtTheTop()
    {
        const auto config = shop();
        const auto notes = comments(argoDocuments(config.services[0], config.rollouts[0], {}), 0);
        QVERIFY(notes.front().starts_with("Argo Rollouts Rollout for catalog.shop"));
        QVERIFY(mentions(notes, "Left out"));
        QVERIFY(mentions(notes, "min_requests"));
        QVERIFY(mentions(notes, "max_hold"));
        QVERIFY(mentions(notes, "checks relative to stable"));
        QVERIFY(mentions(notes, "analysis_traffic"));
        QVERIFY(mentions(notes, "max_evidence_age"));
    }
};

QTEST_APPLESS_MAIN(TestArgoExport)
#include "tst_argo_export.moc"
