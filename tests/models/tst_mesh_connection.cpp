#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <csignal>

#include "models/mesh_connection.h"
#include "tests/support/meshd_process.h"
#include "tests/support/process_probe.h"
#include "tests/support/raw_socket.h"
#include "tests/support/temp_state.h"

using meshscope::models::MeshConnection;
using meshscope::testing::MeshdProcess;
using meshscope::testing::TempState;
using State = MeshConnection::State;

using meshscope::testing::processAlive;

class TestMeshConnection : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void connectsToARunningMeshdWithoutStartingAnother()
    {
        TempState state;
        auto meshd = MeshdProcess::start(state.stateDirQString());
        QVERIFY(meshd);
        MeshConnection::Options options;
        options.address = meshd->adminAddress();
        options.stateDir = state.stateDir();
        options.pollIntervalMs = 200;
        options.meshdOutbound = {"127.0.0.1", 0};
        MeshConnection connection(options);
        QSignalSpy snapshots(&connection, &MeshConnection::snapshotArrived);
        connection.start();
        QTRY_COMPARE_WITH_TIMEOUT(connection.state(), State::Connected, 10000);
        QVERIFY(!connection.startedMeshd());
        QVERIFY(connection.statusText().contains(QStringLiteral("Connected to meshd 0.")));
        QVERIFY(!snapshots.isEmpty());
        const auto latest = connection.latest();
        QCOMPARE(latest->info.pid, meshd->pid());

        // meshd goes away: the connection says so and recovers when it is back.
        QCOMPARE(meshd->stop(SIGTERM), 0);
        QTRY_COMPARE_WITH_TIMEOUT(connection.state(), State::Disconnected, 10000);
        QVERIFY(connection.statusText().contains(QStringLiteral("Lost meshd")));
        connection.shutdown();
    }

    void nothingThereAndNoAutostartIsAnErrorNotAHang()
    {
        TempState state;
        MeshConnection::Options options;
        options.address = meshscope::testing::unusedLoopbackAddress();
        options.stateDir = state.stateDir();
        options.startMeshdIfAbsent = false;
        MeshConnection connection(options);

        // The GUI thread keeps turning while the worker fails to connect.
        int ticks = 0;
        QTimer ticker;
        connect(&ticker, &QTimer::timeout, [&] { ++ticks; });
        ticker.start(10);
        connection.start();
        QTRY_COMPARE_WITH_TIMEOUT(connection.state(), State::Disconnected, 10000);
        QVERIFY2(connection.statusText().contains(QStringLiteral("cannot connect")),
                 qPrintable(connection.statusText()));
        QTest::qWait(300);
        QVERIFY(ticks > 10);
        QVERIFY(!connection.startedMeshd());
    }

    void startsTheBundledMeshdAndStopsItOnShutdown()
    {
        TempState state;
        MeshConnection::Options options;
        options.address = meshscope::testing::unusedLoopbackAddress();
        options.stateDir = state.stateDir();
        options.pollIntervalMs = 200;
        options.meshdOutbound = {"127.0.0.1", 0};
        MeshConnection connection(options);
        QSignalSpy states(&connection, &MeshConnection::stateChanged);
        connection.start();
        QTRY_COMPARE_WITH_TIMEOUT(connection.state(), State::Connected, 15000);
        QVERIFY(connection.startedMeshd());
        QVERIFY(connection.statusText().contains(QStringLiteral("started by Meshscope")));
        bool sawStarting = false;
        for (const auto &args : states)
            sawStarting = sawStarting || args.at(0).value<State>() == State::StartingMeshd;
        QVERIFY(sawStarting);
        const qint64 pid = connection.meshdPid();
        QVERIFY(processAlive(pid));
        QCOMPARE(connection.latest()->info.pid, pid);

        connection.shutdown();
        QVERIFY(!processAlive(pid));
    }

    void aMeshdStartedBySomeoneElseSurvivesShutdown()
    {
        TempState state;
        auto meshd = MeshdProcess::start(state.stateDirQString());
        QVERIFY(meshd);
        {
            MeshConnection::Options options;
            options.address = meshd->adminAddress();
            options.stateDir = state.stateDir();
            MeshConnection connection(options);
            connection.start();
            QTRY_COMPARE_WITH_TIMEOUT(connection.state(), State::Connected, 10000);
        }
        QVERIFY(processAlive(meshd->pid()));
    }
};

QTEST_GUILESS_MAIN(TestMeshConnection)
#include "tst_mesh_connection.moc"
