#include <QTest>

#include "export/k8s_export.h"
#include "export/yaml_tree.h"
#include "export_samples.h"

using namespace export_samples;
using meshcore::kube::httpRouteDocuments;

class TestHttpRouteExport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theServiceRouteCarriesSplitRoutesTimeoutsAndRetries()
    {
        const auto config = shop();
        const auto text = httpRouteDocuments(config.services[0], {});
        const auto docs = documents(text);
        QCOMPARE(docs.size(), std::size_t(2)); // the service's, checkout's (its own retries)
        const auto &route = docs[0];
        QCOMPARE(str(route["apiVersion"]), std::string("gateway.networking.k8s.io/v1"));
        QCOMPARE(str(route["kind"]), std::string("HTTPRoute"));
        QCOMPARE(str(route["metadata"]["name"]), std::string("catalog"));
        QCOMPARE(str(route["metadata"]["namespace"]), std::string("shop"));
        const auto annotations = route["metadata"]["annotations"];
        QCOMPARE(str(annotations["retry.linkerd.io/http"]), std::string("5xx"));
        QCOMPARE(str(annotations["retry.linkerd.io/limit"]), std::string("2"));
        QCOMPARE(annotations["retry.linkerd.io/limit"].Tag(), std::string("!")); // quoted
        const auto parent = route["spec"]["parentRefs"][0];
        QCOMPARE(str(parent["group"]), std::string(""));
        QCOMPARE(parent["group"].Tag(), std::string("!")); // "", not null
        QCOMPARE(str(parent["kind"]), std::string("Service"));
        QCOMPARE(str(parent["name"]), std::string("catalog"));
        QCOMPARE(parent["port"].as<int>(), 80);

        const auto rules = route["spec"]["rules"];
        QCOMPARE(rules.size(), std::size_t(2)); // items, then the catch-all
        const auto items = rules[0];
        QCOMPARE(str(items["matches"][0]["path"]["type"]), std::string("PathPrefix"));
        QCOMPARE(str(items["matches"][0]["path"]["value"]), std::string("/items"));
        QCOMPARE(str(items["matches"][0]["method"]), std::string("GET"));
        QCOMPARE(str(items["timeouts"]["request"]), std::string("1m30s"));
        const auto backends = items["backendRefs"];
        QCOMPARE(backends.size(), std::size_t(2));
        QCOMPARE(str(backends[0]["name"]), std::string("catalog-v1"));
        QCOMPARE(backends[0]["port"].as<int>(), 80);
        QCOMPARE(backends[0]["weight"].as<int>(), 90);
        QCOMPARE(str(backends[1]["name"]), std::string("catalog-v2"));
        QCOMPARE(backends[1]["weight"].as<int>(), 10);
        const auto rest = rules[1];
        QCOMPARE(str(rest["matches"][0]["path"]["type"]), std::string("PathPrefix"));
        QCOMPARE(str(rest["matches"][0]["path"]["value"]), std::string("/"));
        QVERIFY(!rest["matches"][0]["method"]);
        QCOMPARE(str(rest["timeouts"]["request"]), std::string("5s"));
        QCOMPARE(rest["backendRefs"].size(), std::size_t(2));
    }

    void aRouteWithItsOwnRetriesGetsItsOwnHttpRoute()
    {
        const auto config = shop();
        const auto docs = documents(httpRouteDocuments(config.services[0], {}));
        const auto &route = docs[1];
        QCOMPARE(str(route["metadata"]["name"]), std::string("catalog-checkout"));
        QCOMPARE(str(route["metadata"]["annotations"]["retry.linkerd.io/http"]),
                 std::string("gateway-error"));
        QCOMPARE(str(route["metadata"]["annotations"]["retry.linkerd.io/limit"]), std::string("1"));
        QCOMPARE(str(route["spec"]["parentRefs"][0]["name"]), std::string("catalog"));
        const auto rule = route["spec"]["rules"][0];
        QCOMPARE(route["spec"]["rules"].size(), std::size_t(1));
        QCOMPARE(str(rule["matches"][0]["path"]["type"]), std::string("Exact"));
        QCOMPARE(str(rule["matches"][0]["path"]["value"]), std::string("/checkout"));
        QCOMPARE(str(rule["matches"][0]["method"]), std::string("POST"));
        QCOMPARE(str(rule["timeouts"]["request"]), std::string("5s")); // the service's
        QCOMPARE(meshcore::kube::httpRouteNames(config.services[0]),
                 (std::vector<std::string> {"catalog", "catalog-checkout"}));
    }

    void whatLinkerdCannotSayIsACommentAtTheTop()
    {
        const auto config = shop();
        const auto text
            = httpRouteDocuments(config.services[0], {.port = 80, .source = "shop.yaml"});
        const auto main = comments(text, 0);
        QVERIFY(main.front().starts_with(
            "HTTPRoute for catalog.shop, exported by meshd from shop.yaml"));
        QVERIFY(mentions(main, "Left out"));
        QVERIFY(mentions(main, "retries on connect-failure"));
        QVERIFY(mentions(main, "retry backoff (25ms"));
        QVERIFY(mentions(main, "retries only idempotent methods"));
        QVERIFY(mentions(main, "retry_budget"));
        QVERIFY(mentions(main, "failure_accrual"));
        QVERIFY(mentions(main, "route order"));
        QVERIFY(!mentions(main, "faults"));
        const auto checkout = comments(text, 1);
        QVERIFY(mentions(checkout, "faults"));
        QVERIFY(!mentions(checkout, "idempotent")); // non_idempotent: true
        QVERIFY(!mentions(checkout, "failure_accrual")); // the service's document says it
    }

    // What only the local mesh has: opaque TCP and upstream ports are named, not dropped.
    void tcpAndUpstreamPortsAreNamedAsLeftOut()
    {
        auto config = shop();
        auto service = config.services[1];
        service.protocol = meshcore::control::Protocol::Tcp;
        service.tcpIdleTimeout = std::chrono::seconds(60);
        service.upstreams = {{"catalog.shop", 0, "CATALOG_ADDR"}};
        const auto main = comments(httpRouteDocuments(service, {.port = 8080}), 0);
        QVERIFY(mentions(main, "config.linkerd.io/opaque-ports"));
        QVERIFY(mentions(main, "tcp_idle_timeout"));
        QVERIFY(mentions(main, "upstreams"));
    }

    void aPlainServiceIsOneRuleWithoutAnnotationsOrNotes()
    {
        const auto config = shop();
        const auto text = httpRouteDocuments(config.services[1], {.port = 8080});
        const auto docs = documents(text);
        QCOMPARE(docs.size(), std::size_t(1));
        QVERIFY(!docs[0]["metadata"]["annotations"]);
        QCOMPARE(str(docs[0]["metadata"]["namespace"]), std::string("default"));
        const auto rule = docs[0]["spec"]["rules"][0];
        QVERIFY(!rule["timeouts"]);
        QCOMPARE(rule["backendRefs"][0]["weight"].as<int>(), 2); // by replica count
        QCOMPARE(rule["backendRefs"][1]["weight"].as<int>(), 1);
        QCOMPARE(rule["backendRefs"][0]["port"].as<int>(), 8080);
        QCOMPARE(docs[0]["spec"]["parentRefs"][0]["port"].as<int>(), 8080);
        QVERIFY(!mentions(comments(text, 0), "Left out"));
    }

    void stringsThatReadAsOtherTypesAreQuoted()
    {
        using meshcore::kube::Yaml;
        const auto text = Yaml::map({{"a", "yes"},
                                     {"b", "2"},
                                     {"c", "1.5"},
                                     {"d", "null"},
                                     {"e", "on"},
                                     {"f", "0x1F"},
                                     {"g", "plain"},
                                     {"h", "1:30"}})
                              .text();
        const auto node = YAML::Load(text);
        for (const char *key : {"a", "b", "c", "d", "e", "f", "h"})
            QVERIFY2(node[key].Tag() == "!", key);
        QCOMPARE(node["g"].Tag(), std::string("?"));
        QCOMPARE(str(node["a"]), std::string("yes"));
    }
};

QTEST_APPLESS_MAIN(TestHttpRouteExport)
#include "tst_httproute_export.moc"
