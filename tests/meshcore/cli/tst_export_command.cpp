#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <sstream>

#include "../export/export_samples.h"
#include "cli/meshd_cli.h"

using namespace export_samples;

namespace {

struct Outcome {
    int status;
    std::string out;
    std::string err;
};

Outcome run(const std::vector<std::string> &args)
{
    std::ostringstream out;
    std::ostringstream err;
    const int status = meshcore::cli::runMeshd(args, out, err);
    return {status, out.str(), err.str()};
}

std::vector<std::string> kinds(const std::string &text)
{
    std::vector<std::string> found;
    for (const auto &document : documents(text))
        found.push_back(str(document["kind"]) + "/" + str(document["metadata"]["name"]));
    return found;
}

} // namespace

class TestExportCommand : public QObject {
    Q_OBJECT
    // (the fixture, set up in initTestCase)
    QTemporaryDir m_dir;
    std::string m_file;
    std::string m_bad;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_file = m_dir.filePath("mesh.yaml").toStdString();
        std::ofstream(m_file) << ShopYaml;
        m_bad = m_dir.filePath("bad.yaml").toStdString();
        std::ofstream(m_bad) << "mesh: {name: a}\nrollouts:\n  - {service: x, stable: v1, "
                                "candidate: v2}\n";
    }

    void exportsEveryDocumentOfEveryService()
    {
        const auto outcome = run({"export", "--config", m_file});
        QCOMPARE(outcome.status, 0);
        QVERIFY2(outcome.err.empty(), outcome.err.c_str());
        QCOMPARE(kinds(outcome.out),
                 (std::vector<std::string> {"HTTPRoute/catalog", "HTTPRoute/catalog-checkout",
                                            "Canary/catalog", "Rollout/catalog",
                                            "AnalysisTemplate/catalog-analysis", "HTTPRoute/web",
                                            "Canary/web", "MetricTemplate/web-request-success-rate",
                                            "MetricTemplate/web-request-duration", "Rollout/web",
                                            "AnalysisTemplate/web-analysis"}));
        QVERIFY(outcome.out.find("exported by meshd from " + m_file) != std::string::npos);
    }

    void oneServiceInOneFormat()
    {
        const auto outcome
            = run({"export", "--config", m_file, "--service", "catalog.shop", "--format", "argo"});
        QCOMPARE(outcome.status, 0);
        QCOMPARE(
            kinds(outcome.out),
            (std::vector<std::string> {"Rollout/catalog", "AnalysisTemplate/catalog-analysis"}));
        const auto routes = run({"export", "--config", m_file, "--service", "web", "--format",
                                 "httproute", "--port", "8080"});
        QCOMPARE(routes.status, 0);
        QCOMPARE(documents(routes.out)[0]["spec"]["parentRefs"][0]["port"].as<int>(), 8080);
    }

    void anUnknownServiceSaysWhichExist()
    {
        const auto outcome = run({"export", "--config", m_file, "--service", "cart"});
        QCOMPARE(outcome.status, 1);
        QVERIFY(outcome.out.empty());
        QCOMPARE(outcome.err,
                 "meshd export: no service 'cart' in " + m_file
                     + " (services: catalog.shop, web.default)\n");
    }

    void aConfigErrorNamesFileLineAndColumn()
    {
        const auto outcome = run({"export", "--config", m_bad});
        QCOMPARE(outcome.status, 2); // meshd's status for an invalid configuration
        QVERIFY(outcome.out.empty());
        QVERIFY2(outcome.err.starts_with("meshd export: " + m_bad
                                         + ":3:15: the rollout names "
                                           "service 'x'"),
                 outcome.err.c_str());
    }

    void aServiceWithoutARolloutHasNoCanary()
    {
        const auto demo = run({"export", "--demo", "--format", "flagger"});
        QCOMPARE(demo.status, 1);
        QVERIFY2(demo.err.find("has no rollouts to export") != std::string::npos, demo.err.c_str());
        const auto routes = run({"export", "--demo", "--format", "httproute"});
        QCOMPARE(routes.status, 0);
        QVERIFY(!documents(routes.out).empty());
    }

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void badUsageIsStatus2_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("format") << QStringList {"export", "--demo", "--format", "helm"}
                                << "meshd export: invalid value for --format: 'helm'";
        QTest::newRow("both") << QStringList {"export", "--demo", "--config", "x.yaml"}
                              << "meshd export: give at most one of --config FILE and --demo";
        QTest::newRow("port") << QStringList {"export", "--demo", "--port", "0"}
                              << "meshd export: invalid value for --port: '0'";
        QTest::newRow("stray") << QStringList {"export", "--demo", "web"}
                               << "meshd export: unexpected argument 'web'";
        QTest::newRow("flag") << QStringList {"export", "--frob"}
                              << "meshd export: unknown flag '--frob'";
    }
    void badUsageIsStatus2()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        std::vector<std::string> argv;
        for (const auto &arg : args)
            argv.push_back(arg.toStdString());
        const auto outcome = run(argv);
        QCOMPARE(outcome.status, 2);
        QVERIFY(outcome.out.empty());
        QVERIFY2(QString::fromStdString(outcome.err).startsWith(message), outcome.err.c_str());
    }

    void helpNamesTheFormats()
    {
        const auto outcome = run({"help", "export"});
        QCOMPARE(outcome.status, 0);
        QVERIFY(outcome.out.find("httproute, flagger, argo or all") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestExportCommand)
#include "tst_export_command.moc"
