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
        QTest::newRow("name is a list") << "mesh:\n  name: [a, b]\n" << "mesh.yaml:2:9: 'name' must be a plain value";
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
