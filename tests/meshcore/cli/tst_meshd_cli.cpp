#include <QTest>

#include <sstream>

#include "cli/args.h"
#include "cli/fault_command.h"
#include "cli/meshd_cli.h"

using meshcore::cli::parseArgs;

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

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
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
        QTest::newRow("fault without action") << QStringList {"fault"} << "meshd fault: say set";
        QTest::newRow("fault unknown action")
            << QStringList {"fault", "break", "api", "v2"} << "meshd fault: say set, clear or list";
        QTest::newRow("fault set without version")
            << QStringList {"fault", "set", "api", "--abort", "100"}
            << "meshd fault: name the service and the version: meshd fault set api.shop v2";
        QTest::newRow("fault set without a fault")
            << QStringList {"fault", "set", "api", "v2"} << "meshd fault: say what to inject";
        QTest::newRow("fault abort over 100")
            << QStringList {"fault", "set", "api", "v2", "--abort", "101"}
            << "meshd fault: --abort '101' is not PERCENT[:STATUS]";
        QTest::newRow("fault abort status 302")
            << QStringList {"fault", "set", "api", "v2", "--abort", "10:302"}
            << "meshd fault: --abort '10:302' is not PERCENT[:STATUS]";
        QTest::newRow("fault delay without ms")
            << QStringList {"fault", "set", "api", "v2", "--delay", "50"}
            << "meshd fault: --delay '50' is not PERCENT:MS";
        QTest::newRow("fault delay over a minute")
            << QStringList {"fault", "set", "api", "v2", "--delay", "50:61s"}
            << "meshd fault: --delay '50:61s' is not PERCENT:MS";
        QTest::newRow("fault clear with a fault")
            << QStringList {"fault", "clear", "api", "v2", "--abort", "1"}
            << "meshd fault: --abort and --delay are for meshd fault set";
        QTest::newRow("fault list with argument")
            << QStringList {"fault", "list", "api"} << "meshd fault: meshd fault list takes no";
        QTest::newRow("fault unknown flag") << QStringList {"fault", "list", "--abrot", "1"}
                                            << "meshd fault: unknown flag '--abrot'";
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

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void faultFlagsRead_data()
    {
        QTest::addColumn<QString>("abort"); // empty: not given
        QTest::addColumn<QString>("delay");
        QTest::addColumn<double>("abortPercent");
        QTest::addColumn<int>("abortStatus");
        QTest::addColumn<double>("delayPercent");
        QTest::addColumn<int>("delayMs");
        QTest::newRow("abort") << "100"
                               << "" << 100.0 << 503 << 0.0 << 0;
        QTest::newRow("abort with status") << "20:502"
                                           << "" << 20.0 << 502 << 0.0 << 0;
        QTest::newRow("percent sign") << "12.5%:500"
                                      << "" << 12.5 << 500 << 0.0 << 0;
        QTest::newRow("delay in ms") << ""
                                     << "50:200" << 0.0 << 503 << 50.0 << 200;
        QTest::newRow("delay with unit") << ""
                                         << "10:2s" << 0.0 << 503 << 10.0 << 2000;
        QTest::newRow("both") << "0.5:429"
                              << "100:1ms" << 0.5 << 429 << 100.0 << 1;
    }
    void faultFlagsRead()
    {
        QFETCH(QString, abort);
        QFETCH(QString, delay);
        const auto given = [](const QString &text) {
            return text.isEmpty() ? std::nullopt : std::optional(text.toStdString());
        };
        const auto fault = meshcore::cli::faultFromFlags(given(abort), given(delay));
        QVERIFY2(fault, fault ? "" : fault.error().message.c_str());
        QTEST(fault->abortPercent, "abortPercent");
        QTEST(static_cast<int>(fault->abortStatus), "abortStatus");
        QTEST(fault->delayPercent, "delayPercent");
        QTEST(static_cast<int>(fault->delayMs), "delayMs");
    }

    void faultVerbsThatParseAskMeshd()
    {
        // Good usage gets as far as meshd: none listens on port 1, so exit 1, not 2.
        for (const auto &args : std::vector<std::vector<std::string>> {
                 {"fault", "set", "api.shop", "v2", "--abort", "100", "--delay", "10:300"},
                 {"fault", "clear", "api.shop", "v2"},
                 {"fault", "list", "--json"}}) {
            auto argv = args;
            argv.insert(argv.end(), {"--admin", "127.0.0.1:1", "--state-dir", "/nonexistent"});
            const auto outcome = run(argv);
            QCOMPARE(outcome.status, 1);
            QVERIFY2(outcome.err.starts_with("meshd fault: "), outcome.err.c_str());
        }
        const auto help = run({"help", "fault"});
        QCOMPARE(help.status, 0);
        QVERIFY(help.out.find("meshd fault set SERVICE VERSION") != std::string::npos);
        QVERIFY(run({"--help"}).out.find("meshd fault set SERVICE VERSION") != std::string::npos);
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
