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
        const auto config = parseMeshConfig("mesh:\n  name: shop\n  trust_domain: example.org\n", "mesh.yaml");
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
        const auto config = parseMeshConfig(meshcore::demo::demoMeshYaml(), meshcore::demo::DemoMeshSource);
        QVERIFY2(config, config ? "" : config.error().message.c_str());
        QCOMPARE(config->name, std::string("demo"));
    }

    void errorsNameFileLineAndColumn_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown top-level key")
            << "mesh:\n  name: a\nservise: {}\n" << "mesh.yaml:3:1: unknown key 'servise'";
        QTest::newRow("unknown mesh key")
            << "mesh:\n  name: a\n  trust_domian: x\n" << "mesh.yaml:3:3: unknown key 'trust_domian' in 'mesh'";
        QTest::newRow("bad name") << "mesh:\n  name: Big_Name\n" << "mesh.yaml:2:9: mesh name 'Big_Name'";
        QTest::newRow("bad trust domain")
            << "mesh:\n  name: a\n  trust_domain: -x-\n" << "mesh.yaml:3:17: trust domain '-x-'";
        QTest::newRow("name is a list") << "mesh:\n  name: [a, b]\n" << "mesh.yaml:2:9: mesh name must be a plain value";
        QTest::newRow("missing name") << "mesh:\n  trust_domain: a.b\n" << "mesh.yaml:2:3: 'mesh' needs a 'name'";
        QTest::newRow("missing mesh") << "other: 1\n" << "mesh.yaml:1:1: unknown key 'other'";
        QTest::newRow("not a map") << "- a\n- b\n" << "mesh.yaml:1:1: the configuration must be a map";
        QTest::newRow("yaml syntax") << "mesh:\n  name: [a\n" << "mesh.yaml:3:1: ";
        QTest::newRow("empty") << "" << "mesh.yaml: the configuration must be a map";
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
        QCOMPARE(web.versions[0].replicas[0].command, (std::vector<std::string>{"python3", "-m", "http.server", "8081"}));
        QCOMPARE(web.versions[0].replicas[0].env.at("GREETING"), std::string("hello"));
        QVERIFY(web.versions[0].replicas[1].command.empty());
        QCOMPARE(web.versions[1].replicas[0].command, (std::vector<std::string>{"/bin/sh", "-c", "exec ./web --port 8083"}));
        QCOMPARE(web.routes[0].method, std::string("GET"));
        QCOMPARE(web.routes[0].pathPrefix, std::string("/items"));
        QCOMPARE(web.routes[1].path, std::string("/healthz"));
        QCOMPARE(web.identity(config->trustDomain), std::string("spiffe://mesh.local/ns/shop/sa/web"));
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
)", "m.yaml");
        QVERIFY(config);
        QVERIFY(!config->findService("api"));
        QCOMPARE(config->findService("api.b")->ns, std::string("b"));
    }

    void serviceErrorsNameLineAndColumn_data()
    {
        QTest::addColumn<QString>("services");
        QTest::addColumn<QString>("expected");
        const QString head = "mesh: {name: m}\nservices:\n";
        QTest::newRow("not a list") << "  web: {}\n" << "m.yaml:3:3: 'services' must be a list";
        QTest::newRow("unknown key") << "  - {name: web, version: []}\n" << "m.yaml:3:17: unknown key 'version' in a service";
        QTest::newRow("no versions") << "  - {name: web}\n" << "m.yaml:3:5: service 'web' needs 'versions'";
        QTest::newRow("bad service name") << "  - {name: Web_1, versions: [{name: v1, replicas: [{port: 1}]}]}\n" << "m.yaml:3:12: service name 'Web_1'";
        QTest::newRow("bad port") << "  - {name: web, versions: [{name: v1, replicas: [{port: 70000}]}]}\n" << "m.yaml:3:57: 'port' must be a port number from 1 to 65535, not '70000'";
        QTest::newRow("reserved port") << "  - {name: web, versions: [{name: v1, replicas: [{port: 4191}]}]}\n" << "m.yaml:3:57: port 4191 is meshd's own";
        QTest::newRow("missing port") << "  - {name: web, versions: [{name: v1, replicas: [{command: x}]}]}\n" << "m.yaml:3:50: a replica needs the 'port'";
        QTest::newRow("empty replicas") << "  - {name: web, versions: [{name: v1, replicas: []}]}\n" << "m.yaml:3:49: a version needs 'replicas'";
        QTest::newRow("duplicate version")
            << "  - {name: web, versions: [{name: v1, replicas: [{port: 1}]}, {name: v1, replicas: [{port: 2}]}]}\n"
            << "m.yaml:3:70: service 'web' has two versions named 'v1'";
        QTest::newRow("port used twice")
            << "  - {name: a, versions: [{name: v1, replicas: [{port: 7000}]}]}\n  - {name: b, versions: [{name: v1, replicas: [{port: 7000}]}]}\n"
            << "m.yaml:4:55: port 7000 is already used by a v1";
        QTest::newRow("duplicate service")
            << "  - {name: a, versions: [{name: v1, replicas: [{port: 1}]}]}\n  - {name: a, versions: [{name: v1, replicas: [{port: 2}]}]}\n"
            << "m.yaml:4:12: there are two services named 'a' in namespace 'default'";
        QTest::newRow("bad method")
            << "  - {name: a, versions: [{name: v1, replicas: [{port: 1}]}], routes: [{name: r, method: get, path: /}]}\n"
            << "m.yaml:3:89: 'get' is not an HTTP method";
        QTest::newRow("route without path")
            << "  - {name: a, versions: [{name: v1, replicas: [{port: 1}]}], routes: [{name: r}]}\n"
            << "m.yaml:3:71: a route needs exactly one of 'path_prefix' and 'path'";
        QTest::newRow("relative path")
            << "  - {name: a, versions: [{name: v1, replicas: [{port: 1}]}], routes: [{name: r, path_prefix: items}]}\n"
            << "m.yaml:3:94: paths start with '/'";
        QTest::newRow("empty command") << "  - {name: a, versions: [{name: v1, replicas: [{port: 1, command: []}]}]}\n" << "m.yaml:3:67: 'command' must be a list";
    }
    void serviceErrorsNameLineAndColumn()
    {
        QFETCH(QString, services);
        QFETCH(QString, expected);
        const auto config = parseMeshConfig(("mesh: {name: m}\nservices:\n" + services).toStdString(), "m.yaml");
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
