#include <QTemporaryDir>
#include <QTest>

#include "control/mesh_config.h"
#include "core/state_dir.h"
#include "demo/demo_mesh.h"

using meshcore::control::parseMeshConfig;

class TestMeshConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsAValidConfig()
    {
        const auto config
            = parseMeshConfig("mesh:\n  name: shop\n  trust_domain: example.org\n", "mesh.yaml");
        QVERIFY2(config, config ? "" : config.error().message.c_str());
        QCOMPARE(config->name, std::string("shop"));
        QCOMPARE(config->trustDomain, std::string("example.org"));
        QCOMPARE(config->source, std::string("mesh.yaml"));
    }

    void trustDomainDefaultsToMeshLocal()
    {
        QCOMPARE(parseMeshConfig("mesh: {name: a}", "x")->trustDomain, std::string("mesh.local"));
    }

    void theEmbeddedDemoMeshIsValid()
    {
        const auto config
            = parseMeshConfig(meshcore::demo::demoMeshYaml(), meshcore::demo::DemoMeshSource);
        QVERIFY2(config, config ? "" : config.error().message.c_str());
        QCOMPARE(config->name, std::string("demo"));
    }

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void errorsNameFileLineAndColumn_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown top-level key") << "mesh:\n  name: a\nservise: {}\n"
                                               << "mesh.yaml:3:1: unknown key 'servise'";
        QTest::newRow("unknown mesh key") << "mesh:\n  name: a\n  trust_domian: x\n"
                                          << "mesh.yaml:3:3: unknown key 'trust_domian' in 'mesh'";
        QTest::newRow("bad name") << "mesh:\n  name: Big_Name\n"
                                  << "mesh.yaml:2:9: mesh name 'Big_Name'";
        QTest::newRow("bad trust domain") << "mesh:\n  name: a\n  trust_domain: -x-\n"
                                          << "mesh.yaml:3:17: trust domain '-x-'";
        QTest::newRow("name is a list") << "mesh:\n  name: [a, b]\n"
                                        << "mesh.yaml:2:9: mesh name must be a plain value";
        QTest::newRow("missing name") << "mesh:\n  trust_domain: a.b\n"
                                      << "mesh.yaml:2:3: 'mesh' needs a 'name'";
        QTest::newRow("missing mesh") << "other: 1\n"
                                      << "mesh.yaml:1:1: unknown key 'other'";
        QTest::newRow("not a map") << "- a\n- b\n"
                                   << "mesh.yaml:1:1: the configuration must be a map";
        QTest::newRow("yaml syntax") << "mesh:\n  name: [a\n"
                                     << "mesh.yaml:3:1: ";
        QTest::newRow("empty") << ""
                               << "mesh.yaml: the configuration must be a map";
    }
    void errorsNameFileLineAndColumn()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, expected);
        const auto config = parseMeshConfig(yaml.toStdString(), "mesh.yaml");
        QVERIFY(!config);
        QCOMPARE(config.error().code, meshcore::ErrorCode::Config);
        const QString message = QString::fromStdString(config.error().message);
        QVERIFY2(message.startsWith(expected), qPrintable(message));
    }

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void duplicateKeysAreRefused_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("expected");
        QTest::newRow("top level") << "mesh: {name: a}\nservices: []\nmesh: {name: b}\n"
                                   << "mesh.yaml:3:1: duplicate key 'mesh' (first at line 1)";
        QTest::newRow("block map") << "mesh:\n  name: a\n  trust_domain: x.y\n  name: b\n"
                                   << "mesh.yaml:4:3: duplicate key 'name' (first at line 2)";
        QTest::newRow("flow map") << "mesh: {name: a, name: b}\n"
                                  << "mesh.yaml:1:17: duplicate key 'name' (first at line 1)";
        QTest::newRow("quoted and plain")
            << "mesh: {name: a, \"name\": b}\n"
            << "mesh.yaml:1:17: duplicate key 'name' (first at line 1)";
        QTest::newRow("deep in a service")
            << "mesh: {name: m}\nservices:\n  - name: web\n    versions:\n      - name: v1\n"
               "        replicas: [{port: 1, port: 2}]\n"
            << "mesh.yaml:6:30: duplicate key 'port' (first at line 6)";
        QTest::newRow("policy") << "mesh: {name: m}\nservices:\n  - name: web\n    versions: "
                                   "[{name: v1, replicas: [{port: 1}]}]\n"
                                   "    routes:\n      - name: r\n        path_prefix: /\n        "
                                   "timeout: 1s\n        timeout: 9s\n"
                                << "mesh.yaml:9:9: duplicate key 'timeout' (first at line 8)";
    }
    void duplicateKeysAreRefused()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, expected);
        const auto config = parseMeshConfig(yaml.toStdString(), "mesh.yaml");
        QVERIFY2(!config,
                 "yaml-cpp keeps the first of two keys: the second must not be ignored silently");
        QCOMPARE(config.error().code, meshcore::ErrorCode::Config);
        QCOMPARE(QString::fromStdString(config.error().message), expected);
    }

    void theSameKeyInDifferentMapsIsFine()
    {
        const auto config
            = parseMeshConfig("mesh: {name: m}\nservices:\n"
                              "  - {name: a, versions: [{name: v1, replicas: [{port: 1}]}]}\n"
                              "  - {name: b, versions: [{name: v1, replicas: [{port: 2}]}]}\n",
                              "mesh.yaml");
        QVERIFY2(config, config ? "" : config.error().message.c_str());
        QCOMPARE(config->services.size(), std::size_t(2));
    }

    void invalidUtf8IsRefusedWithItsPosition()
    {
        // Saved as Latin-1 by an editor: 0xE9 is not UTF-8.
        const auto config = parseMeshConfig(std::string("mesh:\n  name: caf\xE9\n"), "mesh.yaml");
        QVERIFY(!config);
        QCOMPARE(config.error().code, meshcore::ErrorCode::Config);
        QCOMPARE(
            config.error().message,
            std::string("mesh.yaml:2:12: invalid UTF-8 (byte 0xE9): the file must be UTF-8 text"));
        // Columns count characters: the valid two-byte one before the bad byte counts once.
        const auto comment
            = parseMeshConfig(std::string("# d\xC3\xA9j\xE0 vu\nmesh: {name: a}\n"), "mesh.yaml");
        QVERIFY(!comment);
        QVERIFY2(comment.error().message.starts_with("mesh.yaml:1:6: invalid UTF-8 (byte 0xE0)"),
                 comment.error().message.c_str());
        // UTF-8 text outside names is fine.
        QVERIFY(parseMeshConfig(std::string("# d\xC3\xA9j\xC3\xA0 vu\nmesh: {name: a}\n"),
                                "mesh.yaml"));
    }

    void readsServicesVersionsReplicasAndRoutes()
    {
        const char *yaml = R"(mesh: {name: shop}
services:
  - name: web
    namespace: shop
    versions:
      - name: v1
        replicas:
          - port: 8081
            command: [python3, -m, http.server, "8081"]
            env: {GREETING: hello}
          - port: 8082
      - name: v2
        replicas: [{port: 8083, command: "exec ./web --port 8083"}]
    routes:
      - {name: list-items, method: GET, path_prefix: /items}
      - {name: health, path: /healthz}
  - name: db
    versions: [{name: v1, replicas: [{port: 5433}]}]
)";
        const auto config = parseMeshConfig(yaml, "mesh.yaml");
        QVERIFY2(config, config ? "" : config.error().message.c_str());
        QCOMPARE(config->services.size(), std::size_t(2));
        const auto &web = config->services[0];
        QCOMPARE(web.ns, std::string("shop"));
        QCOMPARE(web.versions.size(), std::size_t(2));
        QCOMPARE(web.versions[0].replicas[0].command,
                 (std::vector<std::string> {"python3", "-m", "http.server", "8081"}));
        QCOMPARE(web.versions[0].replicas[0].env.at("GREETING"), std::string("hello"));
        QVERIFY(web.versions[0].replicas[1].command.empty());
        QCOMPARE(web.versions[1].replicas[0].command,
                 (std::vector<std::string> {"/bin/sh", "-c", "exec ./web --port 8083"}));
        QCOMPARE(web.routes[0].method, std::string("GET"));
        QCOMPARE(web.routes[0].pathPrefix, std::string("/items"));
        QCOMPARE(web.routes[1].path, std::string("/healthz"));
        QCOMPARE(web.identity(config->trustDomain),
                 std::string("spiffe://mesh.local/ns/shop/sa/web"));
        QCOMPARE(config->services[1].ns, std::string("default"));

        QCOMPARE(config->findService("web"), &web);
        QCOMPARE(config->findService("web.shop"), &web);
        QVERIFY(!config->findService("web.default"));
        QVERIFY(!config->findService("nope"));
    }

    void aBareNameInTwoNamespacesIsAmbiguous()
    {
        const auto config = parseMeshConfig(R"(mesh: {name: m}
services:
  - {name: api, namespace: a, versions: [{name: v1, replicas: [{port: 9001}]}]}
  - {name: api, namespace: b, versions: [{name: v1, replicas: [{port: 9002}]}]}
)",
                                            "m.yaml");
        QVERIFY(config);
        QVERIFY(!config->findService("api"));
        QCOMPARE(config->findService("api.b")->ns, std::string("b"));
    }

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void serviceErrorsNameLineAndColumn_data()
    {
        QTest::addColumn<QString>("services");
        QTest::addColumn<QString>("expected");
        const QString head = "mesh: {name: m}\nservices:\n";
        QTest::newRow("not a list") << "  web: {}\n"
                                    << "m.yaml:3:3: 'services' must be a list";
        QTest::newRow("unknown key") << "  - {name: web, version: []}\n"
                                     << "m.yaml:3:17: unknown key 'version' in a service";
        QTest::newRow("no versions") << "  - {name: web}\n"
                                     << "m.yaml:3:5: service 'web' needs 'versions'";
        QTest::newRow("bad service name")
            << "  - {name: Web_1, versions: [{name: v1, replicas: [{port: 1}]}]}\n"
            << "m.yaml:3:12: service name 'Web_1'";
        QTest::newRow("bad port")
            << "  - {name: web, versions: [{name: v1, replicas: [{port: 70000}]}]}\n"
            << "m.yaml:3:57: 'port' must be a port number from 1 to 65535, not '70000'";
        QTest::newRow("reserved port")
            << "  - {name: web, versions: [{name: v1, replicas: [{port: 4191}]}]}\n"
            << "m.yaml:3:57: port 4191 is meshd's own";
        QTest::newRow("missing port")
            << "  - {name: web, versions: [{name: v1, replicas: [{command: x}]}]}\n"
            << "m.yaml:3:50: a replica needs the 'port'";
        QTest::newRow("empty replicas") << "  - {name: web, versions: [{name: v1, replicas: []}]}\n"
                                        << "m.yaml:3:49: a version needs 'replicas'";
        QTest::newRow("duplicate version")
            << "  - {name: web, versions: [{name: v1, replicas: [{port: 1}]}, {name: v1, replicas: "
               "[{port: 2}]}]}\n"
            << "m.yaml:3:70: service 'web' has two versions named 'v1'";
        QTest::newRow("port used twice")
            << "  - {name: a, versions: [{name: v1, replicas: [{port: 7000}]}]}\n  - {name: b, "
               "versions: [{name: v1, replicas: [{port: 7000}]}]}\n"
            << "m.yaml:4:55: port 7000 is already used by a v1";
        QTest::newRow("duplicate service")
            << "  - {name: a, versions: [{name: v1, replicas: [{port: 1}]}]}\n  - {name: a, "
               "versions: [{name: v1, replicas: [{port: 2}]}]}\n"
            << "m.yaml:4:12: there are two services named 'a' in namespace 'default'";
        QTest::newRow("bad method") << "  - {name: a, versions: [{name: v1, replicas: [{port: "
                                       "1}]}], routes: [{name: r, method: get, path: /}]}\n"
                                    << "m.yaml:3:89: 'get' is not an HTTP method";
        QTest::newRow("route without path")
            << "  - {name: a, versions: [{name: v1, replicas: [{port: 1}]}], routes: [{name: r}]}\n"
            << "m.yaml:3:71: a route needs exactly one of 'path_prefix' and 'path'";
        QTest::newRow("relative path") << "  - {name: a, versions: [{name: v1, replicas: [{port: "
                                          "1}]}], routes: [{name: r, path_prefix: items}]}\n"
                                       << "m.yaml:3:94: paths start with '/'";
        QTest::newRow("empty command")
            << "  - {name: a, versions: [{name: v1, replicas: [{port: 1, command: []}]}]}\n"
            << "m.yaml:3:67: 'command' must be a list";
        QTest::newRow("unknown protocol")
            << "  - {name: a, protocol: http, versions: [{name: v1, replicas: [{port: 1}]}]}\n"
            << "m.yaml:3:25: protocol is 'detect' (HTTP/1, HTTP/2 or TCP, from the first bytes) "
               "or 'tcp'";
        QTest::newRow("idle timeout under a second")
            << "  - {name: a, tcp_idle_timeout: 500ms, versions: [{name: v1, replicas: [{port: "
               "1}]}]}\n"
            << "m.yaml:3:33: tcp_idle_timeout must be at least 1s";
    }
    void serviceErrorsNameLineAndColumn()
    {
        QFETCH(QString, services);
        QFETCH(QString, expected);
        const auto config
            = parseMeshConfig(("mesh: {name: m}\nservices:\n" + services).toStdString(), "m.yaml");
        QVERIFY(!config);
        const QString message = QString::fromStdString(config.error().message);
        QVERIFY2(message.startsWith(expected), qPrintable(message));
    }

    void readsProtocolAndIdleTimeout()
    {
        const auto config = parseMeshConfig(R"(mesh: {name: m}
services:
  - {name: db, protocol: tcp, tcp_idle_timeout: 5m, versions: [{name: v1, replicas: [{port: 1}]}]}
  - {name: web, protocol: detect, versions: [{name: v1, replicas: [{port: 2}]}]}
  - {name: api, versions: [{name: v1, replicas: [{port: 3}]}]}
)",
                                            "m.yaml");
        QVERIFY2(config, config ? "" : config.error().message.c_str());
        using meshcore::control::Protocol;
        QCOMPARE(config->services[0].protocol, Protocol::Tcp);
        QCOMPARE(config->services[0].tcpIdleTimeout, std::chrono::seconds(300));
        QCOMPARE(config->services[1].protocol, Protocol::Detect);
        QCOMPARE(config->services[2].protocol, Protocol::Detect);
        QCOMPARE(config->services[2].tcpIdleTimeout, std::chrono::seconds(3600));
    }

    void readsUpstreams()
    {
        const auto config = parseMeshConfig(R"(mesh: {name: m}
services:
  - name: web
    upstreams: [catalog.shop, {service: order-api, env: ORDERS}]
    versions: [{name: v1, replicas: [{port: auto, command: [node, web.js]}]}]
  - name: catalog
    namespace: shop
    upstreams: [{service: db, port: 15432}]
    versions: [{name: v1, replicas: [{port: 9001}]}]
  - {name: order-api, versions: [{name: v1, replicas: [{port: 9002}, {port: 9003}]}]}
  - {name: db, versions: [{name: v1, replicas: [{port: 5432}]}]}
upstreams: [{service: db, port: 15433}, {service: catalog, port: auto}]
)",
                                            "m.yaml");
        QVERIFY2(config, config ? "" : config.error().message.c_str());
        const auto &web = config->services[0].upstreams;
        QCOMPARE(web.size(), std::size_t(2));
        QCOMPARE(web[0], (meshcore::control::UpstreamConfig {"catalog.shop", 0, "CATALOG_ADDR"}));
        QCOMPARE(web[1], (meshcore::control::UpstreamConfig {"order-api", 0, "ORDERS"}));
        QCOMPARE(config->services[1].upstreams.at(0),
                 (meshcore::control::UpstreamConfig {"db", 15432, "DB_ADDR"}));
        QCOMPARE(config->upstreams.size(), std::size_t(2));
        QCOMPARE(config->upstreams[0],
                 (meshcore::control::UpstreamConfig {"db", 15433, "DB_ADDR"}));
        QCOMPARE(config->upstreams[1],
                 (meshcore::control::UpstreamConfig {"catalog", 0, "CATALOG_ADDR"}));
    }

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void upstreamErrorsNameLineAndColumn_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("expected");
        const QString two = "  - {name: db, versions: [{name: v1, replicas: [{port: 5432}]}]}\n"
                            "  - name: web\n"
                            "    versions: [{name: v1, replicas: [{port: 8080}, {port: 8081}]}]\n";
        QTest::newRow("unknown service")
            << two + "    upstreams: [dbb]\n"
            << "m.yaml:6:17: upstream 'dbb' names no service of this mesh";
        QTest::newRow("itself") << two + "    upstreams: [web]\n"
                                << "m.yaml:6:17: service web cannot be its own upstream";
        QTest::newRow("fixed port, two replicas")
            << two + "    upstreams: [{service: db, port: 15432}]\n"
            << "m.yaml:6:37: service web has 2 replicas and each binds its own upstream port";
        QTest::newRow("a replica's port") << two + "upstreams: [{service: db, port: 8081}]\n"
                                          << "m.yaml:6:33: port 8081 is already used by web v1";
        QTest::newRow("meshd's port") << two + "upstreams: [{service: db, port: 4140}]\n"
                                      << "m.yaml:6:33: port 4140 is meshd's own";
        QTest::newRow("twice") << two
                + "upstreams: [{service: db, port: 15000}, {service: web, port: 15000}]\n"
                               << "m.yaml:6:62: port 15000 is already used by the mesh's upstreams";
        QTest::newRow("bad variable") << two + "    upstreams: [{service: db, env: db-addr}]\n"
                                      << "m.yaml:6:36: 'db-addr' is not an environment variable";
        QTest::newRow("variable twice") << two + "    upstreams: [db, {service: db.default}]\n"
                                        << "m.yaml:6:21: service web sets DB_ADDR twice";
        QTest::newRow("meshd's variable") << two + "    upstreams: [{service: db, env: PORT}]\n"
                                          << "m.yaml:6:17: PORT is set by meshd itself";
        QTest::newRow("meshd's variable, top level")
            << two + "upstreams: [{service: db, env: HTTP_PROXY}]\n"
            << "m.yaml:6:13: HTTP_PROXY is set by meshd itself";
        QTest::newRow("a replica's variable")
            << "  - {name: db, versions: [{name: v1, replicas: [{port: 5432}]}]}\n"
               "  - name: web\n"
               "    versions: [{name: v1, replicas: [{port: 8080, env: {DB_ADDR: x}}]}]\n"
               "    upstreams: [db]\n"
            << "m.yaml:6:17: service web sets DB_ADDR in a replica's 'env' too";
        QTest::newRow("another service's replica port")
            << "  - {name: db, versions: [{name: v1, replicas: [{port: 5432}]}]}\n"
               "  - name: web\n"
               "    versions: [{name: v1, replicas: [{port: 8080}]}]\n"
               "    upstreams: [{service: db, port: 5432}]\n"
            << "m.yaml:6:37: port 5432 is already used by db v1";
        QTest::newRow("unknown key") << two + "    upstreams: [{service: db, bind: 1}]\n"
                                     << "m.yaml:6:31: unknown key 'bind' in an upstream";
        QTest::newRow("not a list") << two + "    upstreams: db\n"
                                    << "m.yaml:6:16: 'upstreams' must be a list";
    }
    void upstreamErrorsNameLineAndColumn()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, expected);
        const auto config
            = parseMeshConfig(("mesh: {name: m}\nservices:\n" + yaml).toStdString(), "m.yaml");
        QVERIFY(!config);
        const QString message = QString::fromStdString(config.error().message);
        QVERIFY2(message.startsWith(expected), qPrintable(message));
    }

    void readsTrafficPolicy()
    {
        const auto config = parseMeshConfig(R"(mesh: {name: m}
services:
  - name: api
    versions: [{name: v1, replicas: [{port: 9001}, {port: 9002}]}, {name: v2, replicas: [{port: 9003}]}]
    split: [{version: v1, weight: 90}, {version: v2, weight: 10}]
    timeout: 2s
    retries: {limit: 2, on: [5xx, connect-failure], backoff: 10ms}
    retry_budget: {ratio: 0.1, min_per_second: 5, ttl: 20s}
    failure_accrual: {consecutive_failures: 3, min_penalty: 500ms, max_penalty: 5s, jitter: 0.2}
    load_balancer: {default_rtt: 10ms, decay: 5s}
    routes:
      - name: pay
        method: POST
        path: /pay
        timeout: 250ms
        retries: {on: [gateway-error], non_idempotent: true}
        faults: {abort: {percent: 20, status: 500}, delay: {percent: 5.5, duration: 100ms}}
  - name: web
    versions: [{name: v1, replicas: [{port: 9010}]}, {name: v2, replicas: [{port: 9011}, {port: 9012}]}]
)",
                                            "m.yaml");
        QVERIFY2(config, config ? "" : config.error().message.c_str());
        const auto &api = config->services[0];
        QCOMPARE(api.effectiveSplit().size(), std::size_t(2));
        QCOMPARE(api.effectiveSplit()[1].weight, 10u);
        QCOMPARE(*api.policy.timeout, std::chrono::milliseconds(2000));
        QCOMPARE(api.policy.retries->limit, 2u);
        QVERIFY(api.policy.retries->on.serverError && api.policy.retries->on.connectFailure
                && !api.policy.retries->on.gatewayError);
        QCOMPARE(api.policy.retries->backoff, std::chrono::milliseconds(10));
        QVERIFY(!api.policy.faults);
        QCOMPARE(api.retryBudget.ratio, 0.1);
        QCOMPARE(api.retryBudget.minPerSecond, 5u);
        QCOMPARE(api.retryBudget.ttl, std::chrono::seconds(20));
        QCOMPARE(api.failureAccrual.consecutiveFailures, 3u);
        QCOMPARE(api.failureAccrual.minPenalty, std::chrono::milliseconds(500));
        QCOMPARE(api.failureAccrual.jitter, 0.2);
        QCOMPARE(api.balancer.defaultRtt, std::chrono::milliseconds(10));

        // A route's own settings win; what it leaves out comes from the service.
        const auto pay = api.routes[0].policy.over(api.policy);
        QCOMPARE(*pay.timeout, std::chrono::milliseconds(250));
        QCOMPARE(pay.retries->limit, 1u);
        QVERIFY(pay.retries->on.gatewayError && pay.retries->nonIdempotent);
        QCOMPARE(pay.faults->abortPercent, 20.0);
        QCOMPARE(pay.faults->abortStatus, 500u);
        QCOMPARE(pay.faults->delayPercent, 5.5);
        QCOMPARE(pay.faults->delay, std::chrono::milliseconds(100));

        // Without a split, versions share traffic by replica count, as a Kubernetes Service does;
        // nothing is retried, timed out or injected unless configured.
        const auto &web = config->services[1];
        QCOMPARE(web.effectiveSplit()[0].weight, 1u);
        QCOMPARE(web.effectiveSplit()[1].weight, 2u);
        QVERIFY(!web.policy.timeout && !web.policy.retries && !web.policy.faults);
        QCOMPARE(web.failureAccrual.consecutiveFailures, 7u);
        QCOMPARE(web.balancer.defaultRtt, std::chrono::milliseconds(30));
        QCOMPARE(web.balancer.decay, std::chrono::milliseconds(10000));
        QCOMPARE(web.retryBudget.ratio, 0.2);
    }

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void policyErrorsNameLineAndColumn_data()
    {
        QTest::addColumn<QString>("policy");
        QTest::addColumn<QString>("expected");
        QTest::newRow("negative weight")
            << "    split: [{version: v1, weight: -5}]\n"
            << "m.yaml:5:35: 'weight' must be from 0 to 1000000, not -5";
        QTest::newRow("unknown split version")
            << "    split: [{version: v1, weight: 90}, {version: v3, weight: 10}]\n"
            << "m.yaml:5:50: the split names version 'v3', which the service does not have (it "
               "has: v1, v2)";
        QTest::newRow("weights add up to zero") << "    split: [{version: v1, weight: 0}]\n"
                                                << "m.yaml:5:12: the split's weights add up to 0";
        QTest::newRow("min penalty above max")
            << "    failure_accrual: {min_penalty: 90s, max_penalty: 60s}\n"
            << "m.yaml:5:36: 'min_penalty' (1m30s) cannot be above 'max_penalty' (1m)";
        QTest::newRow("ratio outside 0..1") << "    retry_budget: {ratio: 1.5}\n"
                                            << "m.yaml:5:27: 'ratio' must be from 0 to 1, not 1.5";
        QTest::newRow("unparsable timeout") << "    timeout: 5 seconds\n"
                                            << "m.yaml:5:14: 'timeout': ";
        QTest::newRow("unknown retry condition") << "    retries: {on: [5xx, 500s]}\n"
                                                 << "m.yaml:5:25: unknown retry condition '500s'";
        QTest::newRow("retries without conditions") << "    retries: {limit: 2}\n"
                                                    << "m.yaml:5:14: 'retries' needs 'on'";
        QTest::newRow("fault percent over 100")
            << "    faults: {abort: {percent: 120}}\n"
            << "m.yaml:5:31: 'percent' must be from 0 to 100, not 120";
        QTest::newRow("route timeout") << "    routes: [{name: r, path: /, timeout: soon}]\n"
                                       << "m.yaml:5:42: 'timeout': ";
        QTest::newRow("jitter outside 0..1")
            << "    failure_accrual: {jitter: -0.1}\n"
            << "m.yaml:5:31: 'jitter' must be from 0 to 1, not -0.1";
    }
    void policyErrorsNameLineAndColumn()
    {
        QFETCH(QString, policy);
        QFETCH(QString, expected);
        const auto config = parseMeshConfig(
            (QStringLiteral(
                 "mesh: {name: m}\nservices:\n  - name: a\n    versions: [{name: v1, replicas: "
                 "[{port: 1}, {port: 2}]}, {name: v2, replicas: [{port: 3}]}]\n")
             + policy)
                .toStdString(),
            "m.yaml");
        QVERIFY(!config);
        const QString message = QString::fromStdString(config.error().message);
        QVERIFY2(message.startsWith(expected), qPrintable(message));
    }

    void loadsFromAFileAndReportsAMissingOne()
    {
        QTemporaryDir temp;
        const std::filesystem::path file = temp.filePath(QStringLiteral("mesh.yaml")).toStdString();
        QVERIFY(meshcore::writeFileAtomically(file, "mesh:\n  name: files\n", 0644));
        const auto config = meshcore::control::loadMeshConfigFile(file);
        QVERIFY(config);
        QCOMPARE(config->source, file.string());
        const auto missing = meshcore::control::loadMeshConfigFile(file.string() + ".nope");
        QVERIFY(!missing);
        QVERIFY(missing.error().message.find("mesh.yaml.nope") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestMeshConfig)
#include "tst_mesh_config.moc"
