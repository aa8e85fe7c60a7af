// The desktop app as a user starts it (offscreen): it starts its own meshd, connects, renders.
#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QTest>

#include <csignal>

#include "tests/support/meshd_process.h"
#include "tests/support/process_probe.h"
#include "tests/support/raw_socket.h"
#include "tests/support/temp_state.h"

using meshscope::testing::TempState;

namespace {
struct AppRun {
    int exitCode = -1;
    QString out;
    QString err;
};

QProcessEnvironment appEnvironment(const TempState &home)
{
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_STATE_HOME"), home.path(QStringLiteral("xdg-state")));
    env.insert(QStringLiteral("MESHSCOPE_MESHD"), QStringLiteral(MESHD_PATH));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), home.path(QStringLiteral("runtime")));
    QDir().mkpath(home.path(QStringLiteral("runtime")));
    QFile::setPermissions(home.path(QStringLiteral("runtime")),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return env;
}

AppRun runApp(const QStringList &args, const TempState &home, int timeoutMs = 60000)
{
    QProcess app;
    app.setProcessEnvironment(appEnvironment(home));
    app.start(QStringLiteral(MESHSCOPE_PATH),
              QStringList(args) << QStringLiteral("--outbound") << QStringLiteral("127.0.0.1:0"));
    AppRun run;
    if (!app.waitForFinished(timeoutMs)) {
        app.kill();
        app.waitForFinished();
    } else if (app.exitStatus() == QProcess::NormalExit) {
        run.exitCode = app.exitCode();
    }
    run.out = QString::fromUtf8(app.readAllStandardOutput());
    run.err = QString::fromUtf8(app.readAllStandardError());
    return run;
}

qint64 lockOwnerPid(const QString &stateDir)
{
    QFile lock(stateDir + QStringLiteral("/meshd.lock"));
    if (!lock.open(QIODevice::ReadOnly))
        return 0;
    return lock.readAll().trimmed().toLongLong();
}

} // namespace

using meshscope::testing::processAlive;

class TestMeshscope : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void screenshotOfTheConnectedWindowWithItsOwnMeshd()
    {
        TempState home;
        const auto address = meshscope::testing::unusedLoopbackAddress();
        const QString png = home.path(QStringLiteral("window.png"));
        const auto run
            = runApp({QStringLiteral("--connect"), QString::fromStdString(address.toString()),
                      QStringLiteral("--screenshot"), png},
                     home);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + run.out));
        QVERIFY(run.out.contains(QStringLiteral("wrote ")));

        QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 600 && image.height() >= 400);
        // Not a blank canvas: a rendered window has many distinct colours (text, light, frames).
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 3)
            for (int x = 0; x < image.width(); x += 3)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 10, qPrintable(QString::number(colours.size())));

        // The meshd the app started used the default state dir ($XDG_STATE_HOME/meshscope) and is
        // gone now that the app has quit: no process, no listener.
        const QString stateDir = home.path(QStringLiteral("xdg-state/meshscope"));
        QVERIFY(QFile::exists(stateDir + QStringLiteral("/admin.token")));
        QCOMPARE(lockOwnerPid(stateDir), qint64(0)); // meshd clears it on a clean exit
        meshscope::testing::RawSocket probe(address);
        QVERIFY(!probe.connected());
    }

    void connectsToAnAlreadyRunningMeshdAndLeavesItRunning()
    {
        TempState home;
        const QString stateDir = home.path(QStringLiteral("xdg-state/meshscope"));
        auto meshd = meshscope::testing::MeshdProcess::start(stateDir);
        QVERIFY(meshd);
        const auto run
            = runApp({QStringLiteral("--connect"), meshd->adminAddressText(),
                      QStringLiteral("--screenshot"), home.path(QStringLiteral("w.png"))},
                     home);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(::kill(static_cast<pid_t>(meshd->pid()), 0), 0);
        meshscope::testing::RawSocket probe(meshd->adminAddress());
        QVERIFY(probe.connected());
    }

    // Closing the app (here: SIGTERM, as a desktop session does at logout) or the app dying
    // outright (SIGKILL) must never leave the meshd it started behind.
    void neverLeavesItsMeshdBehind_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addColumn<bool>("clean");
        QTest::newRow("SIGTERM: clean quit") << int(SIGTERM) << true;
        QTest::newRow("SIGKILL: app dies") << int(SIGKILL) << false;
    }
    void neverLeavesItsMeshdBehind()
    {
        QFETCH(int, signal);
        QFETCH(bool, clean);
        TempState home;
        const auto address = meshscope::testing::unusedLoopbackAddress();
        const QString stateDir = home.path(QStringLiteral("xdg-state/meshscope"));
        QProcess app;
        app.setProcessEnvironment(appEnvironment(home));
        app.start(QStringLiteral(MESHSCOPE_PATH),
                  {QStringLiteral("--connect"), QString::fromStdString(address.toString()),
                   QStringLiteral("--outbound"), QStringLiteral("127.0.0.1:0")});
        QVERIFY(app.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(lockOwnerPid(stateDir) > 0, 20000);
        const qint64 meshdPid = lockOwnerPid(stateDir);
        QTRY_VERIFY_WITH_TIMEOUT(meshscope::testing::RawSocket(address).connected(), 20000);
        QVERIFY(processAlive(meshdPid));

        ::kill(static_cast<pid_t>(app.processId()), signal);
        QVERIFY(app.waitForFinished(15000));
        if (clean) {
            QCOMPARE(app.exitStatus(), QProcess::NormalExit);
            QCOMPARE(app.exitCode(), 0);
            QVERIFY(!processAlive(meshdPid)); // stopped and reaped before the app exited
        } else {
            QTRY_VERIFY_WITH_TIMEOUT(!processAlive(meshdPid), 10000);
        }
        QTRY_VERIFY_WITH_TIMEOUT(!meshscope::testing::RawSocket(address).connected(), 10000);
    }

    void badOptionsExitWithStatus2()
    {
        TempState home;
        const auto bad = runApp({QStringLiteral("--connect"), QStringLiteral("nowhere")}, home);
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(QStringLiteral(
                     "meshscope: invalid value for --connect: 'nowhere' is not a valid address")),
                 qPrintable(bad.err));
        const auto unknown = runApp({QStringLiteral("--frob")}, home);
        QCOMPARE(unknown.exitCode, 2);
        const auto version = runApp({QStringLiteral("--version")}, home);
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.contains(QStringLiteral("Meshscope 0.")));
    }
};

QTEST_GUILESS_MAIN(TestMeshscope)
#include "tst_meshscope.moc"
