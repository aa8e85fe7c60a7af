// meshd and a state directory someone else prepared: a real meshd refuses it, says what to fix,
// and writes nothing there; what a killed meshd left behind is cleaned up at the next start.
#include <QTest>

#include <csignal>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

#include "core/state_dir.h"
#include "tests/support/meshd_process.h"
#include "tests/support/temp_state.h"

using meshscope::testing::MeshdProcess;
using meshscope::testing::MeshdRun;
using meshscope::testing::runMeshd;
using meshscope::testing::TempState;
namespace fs = std::filesystem;

namespace {

const std::string KnownToken(64, 'a'); // what whoever planted the token would know

MeshdRun up(const TempState &state)
{
    return runMeshd({QStringLiteral("up"), QStringLiteral("--demo"), QStringLiteral("--admin"),
                     QStringLiteral("127.0.0.1:0"), QStringLiteral("--outbound"),
                     QStringLiteral("127.0.0.1:0"), QStringLiteral("--state-dir"),
                     state.stateDirQString()});
}

// uid 65534 (nobody) as the other user; only root can give files away.
bool giveAway(const fs::path &path)
{
    return ::lchown(path.c_str(), 65534, static_cast<gid_t>(-1)) == 0;
}

fs::path elsewhereOf(const TempState &state)
{
    return fs::path(state.path(QStringLiteral("elsewhere")).toStdString());
}

} // namespace

class TestMeshdStateDir : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aPlantedStateDirectoryIsRefused_data()
    {
        QTest::addColumn<QString>("plant");
        QTest::addColumn<QString>("said");
        QTest::newRow("directory of another user")
            << "foreign dir"
            << "meshd: state directory %1 is owned by uid 65534, not you (uid %2): remove it or "
               "chown it\n";
        QTest::newRow("directory open to others")
            << "open dir"
            << "meshd: permissions 0755 for state directory %1 are too open: chmod 700 %1\n";
        QTest::newRow("token of another user with a known token")
            << "foreign token"
            << "meshd: %1/admin.token is owned by uid 65534, not you (uid %2): remove it or chown "
               "it\n";
        QTest::newRow("token others can read") << "open token"
                                               << "meshd: permissions 0644 for %1/admin.token are "
                                                  "too open: chmod 600 %1/admin.token\n";
        QTest::newRow("ca is a link to elsewhere")
            << "ca link"
            << "meshd: %1/ca is a symbolic link, which meshd does not follow: replace it with the "
               "directory it "
               "points to, or remove it\n";
        QTest::newRow("state directory is a link")
            << "dir link"
            << "meshd: state directory %1 is a symbolic link, which meshd does not follow";
    }
    void aPlantedStateDirectoryIsRefused()
    {
        QFETCH(QString, plant);
        QFETCH(QString, said);
        TempState state;
        const fs::path dir = state.stateDir();
        const fs::path elsewhere = elsewhereOf(state);
        fs::create_directories(elsewhere);
        if (plant == "dir link") {
            fs::create_symlink(elsewhere, dir);
        } else {
            fs::create_directories(dir);
            ::chmod(dir.c_str(), plant == "open dir" ? 0755 : 0700);
        }
        if (plant == "foreign token" || plant == "open token")
            QVERIFY(meshcore::writeFileAtomically(dir / "admin.token", KnownToken + "\n",
                                                  plant == "open token" ? 0644 : 0600));
        if (plant == "ca link")
            fs::create_symlink(elsewhere, dir / "ca");
        if ((plant == "foreign dir" && !giveAway(dir))
            || (plant == "foreign token" && !giveAway(dir / "admin.token")))
            QSKIP("needs root, to give files to another user");

        const auto run = up(state);
        QCOMPARE(run.exitCode, 1);
        const QString sentence
            = QString(said)
                  .replace(QStringLiteral("%1"), QString::fromStdString(dir.string()))
                  .replace(QStringLiteral("%2"), QString::number(::geteuid()));
        QVERIFY2(run.err.contains(sentence), qPrintable(run.err));
        QCOMPARE(run.err.count(QLatin1Char('\n')), 1);
        QVERIFY2(!run.out.contains(QStringLiteral("ready")), qPrintable(run.out));
        // Nothing written where the link points, no CA made in a planted directory, the known
        // token left as it was (and not in force: meshd never started).
        QVERIFY(fs::is_empty(elsewhere));
        if (plant != "dir link")
            QVERIFY(!fs::exists(dir / "ca" / "ca.json"));
        if (plant == "foreign token" || plant == "open token")
            QCOMPARE(*meshcore::readSmallFile(dir / "admin.token"), KnownToken + "\n");
    }

    void theCliRefusesATokenOfAnotherUser()
    {
        TempState state;
        const fs::path dir = state.stateDir();
        QVERIFY(meshcore::ensurePrivateDir(dir));
        QVERIFY(meshcore::writeFileAtomically(dir / "admin.token", KnownToken + "\n", 0600));
        if (!giveAway(dir / "admin.token"))
            QSKIP("needs root, to give the token to another user");
        for (const QString &verb : {QStringLiteral("stat"), QStringLiteral("version")}) {
            const auto run = runMeshd({verb, QStringLiteral("--state-dir"), state.stateDirQString(),
                                       QStringLiteral("--admin"), QStringLiteral("127.0.0.1:9")});
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains(
                         QStringLiteral("meshd %1: %2/admin.token is owned by uid 65534, not you")
                             .arg(verb, state.stateDirQString())),
                     qPrintable(run.err));
        }
    }

    void temporaryFilesOfAKilledMeshdAreRemovedAtStart()
    {
        TempState state;
        auto first = MeshdProcess::start(state.stateDirQString());
        QVERIFY(first);
        QCOMPARE(first->stop(SIGTERM), 0);
        // What SIGKILL during a save leaves: the CA's keys (0600) and a token, under temp names.
        const fs::path dir = state.stateDir();
        const fs::path stale[]
            = {dir / "ca" / ".ca.json.tmp-4242-1804289383", dir / "ca" / ".issued.json.tmp-4242-7",
               dir / ".admin.token.tmp-4242-846930886"};
        for (const auto &file : stale)
            QVERIFY(meshcore::writeFileAtomically(
                file, "{\"key\": \"-----BEGIN PRIVATE KEY-----\"}", 0600));
        auto second = MeshdProcess::start(state.stateDirQString());
        QVERIFY(second);
        for (const auto &file : stale)
            QVERIFY2(!fs::exists(file), file.c_str());
        QVERIFY(fs::exists(dir / "ca" / "ca.json"));
    }

    void aSecondMeshdLeavesTheFirstsFilesAlone()
    {
        TempState state;
        auto first = MeshdProcess::start(state.stateDirQString());
        QVERIFY(first);
        // As if the first meshd were half-way through a save right now.
        const fs::path inFlight = state.stateDir() / ".admin.token.tmp-1-2";
        const fs::path caInFlight = state.stateDir() / "ca" / ".ca.json.tmp-1-2";
        QVERIFY(meshcore::writeFileAtomically(inFlight, "x", 0600));
        QVERIFY(meshcore::writeFileAtomically(caInFlight, "x", 0600));
        const auto run = up(state);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("already running")), qPrintable(run.err));
        QVERIFY(fs::exists(inFlight));
        QVERIFY(fs::exists(caInFlight));
    }
};

QTEST_GUILESS_MAIN(TestMeshdStateDir)
#include "tst_meshd_state_dir.moc"
