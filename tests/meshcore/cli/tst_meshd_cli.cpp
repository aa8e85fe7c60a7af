#include <QTest>

#include <sstream>

#include "cli/args.h"
#include "cli/meshd_cli.h"

using meshcore::cli::parseArgs;

namespace {
struct Outcome {
    int status;
    std::string out;
    std::string err;
};

Outcome run(std::vector<std::string> args)
{
    std::ostringstream out;
    std::ostringstream err;
    const int status = meshcore::cli::runMeshd(args, out, err);
    return {status, out.str(), err.str()};
}
} // namespace

class TestMeshdCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parsesFlagsInBothForms()
    {
        const auto args
            = parseArgs({"--admin", "127.0.0.1:1", "--state-dir=/tmp/x", "--demo", "pos"},
                        {{"admin"}, {"state-dir"}, {"demo", false}});
        QVERIFY(args);
        QCOMPARE(*args->value("admin"), std::string("127.0.0.1:1"));
        QCOMPARE(*args->value("state-dir"), std::string("/tmp/x"));
        QVERIFY(args->has("demo"));
        QCOMPARE(args->positional(), std::vector<std::string> {"pos"});
    }

    void badUsageIsOneLineAndStatus2_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown verb")
            << QStringList {"frobnicate"} << "meshd: unknown verb 'frobnicate'";
        QTest::newRow("unknown global flag")
            << QStringList {"--frob"} << "meshd: unknown flag '--frob'";
        QTest::newRow("unknown up flag")
            << QStringList {"up", "--demo", "--frob"} << "meshd up: unknown flag '--frob'";
        QTest::newRow("missing value")
            << QStringList {"up", "--demo", "--admin"} << "meshd up: --admin needs a value";
        QTest::newRow("bad address") << QStringList {"up", "--demo", "--admin", "nowhere"}
                                     << "meshd up: invalid value for --admin";
        QTest::newRow("public address") << QStringList {"up", "--demo", "--admin", "8.8.8.8:4191"}
                                        << "meshd up: invalid value for --admin";
        QTest::newRow("config and demo") << QStringList {"up", "--demo", "--config", "x.yaml"}
                                         << "meshd up: give exactly one of";
        QTest::newRow("neither") << QStringList {"up"} << "meshd up: give exactly one of";
        QTest::newRow("twice") << QStringList {"up", "--demo", "--demo"}
                               << "meshd up: --demo given twice";
        QTest::newRow("switch with value")
            << QStringList {"up", "--demo=yes"} << "meshd up: --demo takes no value";
        QTest::newRow("stray argument")
            << QStringList {"up", "--demo", "extra"} << "meshd up: unexpected argument 'extra'";
        QTest::newRow("bad timeout") << QStringList {"version", "--timeout", "10"}
                                     << "meshd version: invalid value for --timeout";
    }
    void badUsageIsOneLineAndStatus2()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        std::vector<std::string> argv;
        for (const auto &a : args)
            argv.push_back(a.toStdString());
        const auto outcome = run(argv);
        QCOMPARE(outcome.status, 2);
        QVERIFY(outcome.out.empty());
        const QString err = QString::fromStdString(outcome.err);
        QVERIFY2(err.startsWith(message), qPrintable(err));
        QCOMPARE(err.count(QLatin1Char('\n')), 1);
    }

    void versionAndHelp()
    {
        const auto version = run({"--version"});
        QCOMPARE(version.status, 0);
        QVERIFY(version.out.starts_with("meshd 0."));
        const auto help = run({"--help"});
        QCOMPARE(help.status, 0);
        QVERIFY(help.out.find("meshd up [--config FILE | --demo]") != std::string::npos);
        QCOMPARE(run({"up", "--help"}).status, 0);
        QCOMPARE(run({"help", "version"}).status, 0);
        const auto client = run({"version", "--client"});
        QCOMPARE(client.status, 0);
        QVERIFY(client.out.starts_with("Client version: "));
    }
};

QTEST_APPLESS_MAIN(TestMeshdCli)
#include "tst_meshd_cli.moc"
