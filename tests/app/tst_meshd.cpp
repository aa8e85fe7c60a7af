// meshd as a user runs it: a real process, real signals, real files.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <csignal>
#include <sys/stat.h>

#include "admin/admin_token.h"
#include "client/admin_client.h"
#include "tests/support/meshd_process.h"
#include "tests/support/raw_socket.h"
#include "tests/support/temp_state.h"

using meshscope::testing::MeshdProcess;
using meshscope::testing::runMeshd;
using meshscope::testing::TempState;

namespace {
unsigned modeOf(const std::filesystem::path &path)
{
    struct stat info { };
    ::stat(path.c_str(), &info);
    return info.st_mode & 0777;
}

bool answers(const meshcore::Address &address)
{
    meshcore::client::AdminClient::Options options;
    options.address = address;
    options.requestTimeout = std::chrono::milliseconds(1000);
    auto client = meshcore::client::AdminClient::create(options);
    return client && (*client)->healthz().has_value();
}
} // namespace

namespace {
// "socket:[123]" targets of /proc/PID/fd.
QSet<QString> socketInodes(qint64 pid)
{
    QSet<QString> inodes;
    const QDir fds(QStringLiteral("/proc/%1/fd").arg(pid));
    for (const auto &name : fds.entryList(QDir::Files | QDir::System | QDir::NoDotAndDotDot)) {
        const auto target = QFile::symLinkTarget(fds.filePath(name));
        if (target.contains(QStringLiteral("socket:[")))
            inodes.insert(target.section(QLatin1Char('/'), -1));
    }
    return inodes;
}
} // namespace

class TestMeshd : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void startsAnswersAndStopsCleanly_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
    }
    void startsAnswersAndStopsCleanly()
    {
        QFETCH(int, signal);
        TempState state;
        auto meshd = MeshdProcess::start(state.stateDirQString());
        QVERIFY(meshd);

        // State directory and token file are private from the start.
        QCOMPARE(modeOf(state.stateDir()), 0700u);
        QCOMPARE(modeOf(state.stateDir() / "admin.token"), 0600u);

        const auto token = meshcore::admin::readAdminToken(state.stateDir());
        QVERIFY(token);
        meshcore::client::AdminClient::Options options;
        options.address = meshd->adminAddress();
        options.token = *token;
        auto client = std::move(*meshcore::client::AdminClient::create(options));
        QVERIFY(client->healthz());
        const auto version = client->version();
        QVERIFY(version);
        QCOMPARE(version->mesh, std::string("demo"));
        QCOMPARE(version->stateDir, state.stateDir().string());

        QCOMPARE(meshd->stop(signal), 0);
        QVERIFY2(meshd->output().contains(QStringLiteral("shutting down")),
                 qPrintable(meshd->output()));
        QVERIFY(meshd->output().contains(QStringLiteral("meshd: stopped")));
        QVERIFY(!answers(meshd->adminAddress()));
    }

    void theDemoMeshCarriesTrafficOnEveryEdgeWithinFifteenSeconds()
    {
        TempState state;
        QElapsedTimer sinceStart;
        sinceStart.start();
        auto meshd = MeshdProcess::start(state.stateDirQString());
        QVERIFY(meshd);
        meshcore::client::AdminClient::Options options;
        options.address = meshd->adminAddress();
        options.token = *meshcore::admin::readAdminToken(state.stateDir());
        auto client = std::move(*meshcore::client::AdminClient::create(options));
        // caller deployment -> callee service, as the demo's call graph says.
        const QList<QPair<QString, QString>> edges = {{"local-client", "frontend"},
                                                      {"frontend-v1", "catalog"},
                                                      {"frontend-v1", "cart"},
                                                      {"frontend-v1", "recommendations"},
                                                      {"catalog-v1", "inventory"},
                                                      {"catalog-v1", "pricing"},
                                                      {"cart-v1", "pricing"},
                                                      {"cart-v1", "payments"},
                                                      {"recommendations-v1", "catalog"},
                                                      {"recommendations-v2", "catalog"}};
        QStringList missing;
        do {
            QTest::qWait(500);
            const QString metrics = QString::fromStdString(client->get("/metrics").value_or(""));
            missing.clear();
            for (const auto &[from, to] : edges) {
                const QRegularExpression carried(
                    QStringLiteral(
                        "^request_total\\{[^}]*deployment=\"%1\"[^}]*direction=\"outbound\"[^}]*"
                        "dst_service=\"%2\"[^}]*tls=\"true\"[^}]*\\} [1-9]")
                        .arg(from, to),
                    QRegularExpression::MultilineOption);
                if (!metrics.contains(carried))
                    missing << from + " -> " + to;
            }
        } while (!missing.isEmpty() && sinceStart.elapsed() < 15000);
        QVERIFY2(missing.isEmpty(), qPrintable("no traffic yet on: " + missing.join(", ")));
        qInfo("every edge of the demo mesh carried traffic %lld ms after start",
              sinceStart.elapsed());
        // `meshd stat` lists every demo service with traffic; `meshd edges` shows mTLS on every
        // edge.
        const QStringList where = {QStringLiteral("--admin"), meshd->adminAddressText(),
                                   QStringLiteral("--state-dir"), state.stateDirQString()};
        const auto stat = runMeshd(QStringList {QStringLiteral("stat")} + where);
        QVERIFY2(stat.exitCode == 0, qPrintable(stat.err));
        qInfo("%s", qPrintable(stat.out));
        for (const char *service : {"frontend", "catalog", "cart", "recommendations", "inventory",
                                    "pricing", "payments"}) {
            const QRegularExpression row(
                QStringLiteral("^%1\\.shop\\s+yes\\s+\\S+\\s+(\\d+\\.\\d)rps")
                    .arg(QLatin1String(service)),
                QRegularExpression::MultilineOption);
            const auto match = row.match(stat.out);
            QVERIFY2(match.hasMatch() && match.captured(1).toDouble() > 0, service);
        }
        const auto edgesRun = runMeshd(QStringList {QStringLiteral("edges")} + where);
        QVERIFY2(edgesRun.exitCode == 0, qPrintable(edgesRun.err));
        const auto lines = edgesRun.out.trimmed().split(QLatin1Char('\n'));
        QVERIFY2(
            lines.size() >= 1 + 9,
            qPrintable(edgesRun.out)); // per service: both recommendations versions are one edge
        for (const auto &line : lines.mid(1))
            QVERIFY2(line.contains(QStringLiteral("  mTLS  ")), qPrintable(line));

        // And `meshd check` passes on the demo mesh.
        const auto check = runMeshd(QStringList {QStringLiteral("check")} + where);
        QVERIFY2(check.exitCode == 0
                     && check.out.contains(QStringLiteral("Status: all checks pass")),
                 qPrintable(check.out + check.err));

        // A misspelled destination shows up as an unmeshed service instead of vanishing.
        meshcore::Address local;
        {
            const auto m = QRegularExpression(
                               QStringLiteral("outbound proxy for local clients on (\\S+):(\\d+)"))
                               .match(meshd->output());
            local
                = {m.captured(1).toStdString(), static_cast<std::uint16_t>(m.captured(2).toUInt())};
        }
        meshscope::testing::RawSocket typo(local);
        QVERIFY(typo.send("GET http://catalgo.shop/ HTTP/1.1\r\nHost: catalgo.shop\r\n\r\n"));
        QVERIFY(typo.readUntil("\r\n\r\n", std::chrono::seconds(5)).starts_with("HTTP/1.1 503"));
        QTRY_VERIFY_WITH_TIMEOUT(
            runMeshd(QStringList {QStringLiteral("stat")} + where)
                .out.contains(QRegularExpression(QStringLiteral("^catalgo\\.shop\\s+no\\s"),
                                                 QRegularExpression::MultilineOption)),
            3000);
        QVERIFY(runMeshd(QStringList {QStringLiteral("edges")} + where)
                    .out.contains(QRegularExpression(QStringLiteral(
                        "local-client\\s+catalgo\\.shop\\s.*no \\(unknown service\\)"))));

        // Nine supervised demo-app processes, all running.
        const auto workloads
            = QJsonDocument::fromJson(QByteArray::fromStdString(*client->get("/api/v1/workloads")))
                  .object();
        const auto list = workloads.value(QStringLiteral("workloads")).toArray();
        QCOMPARE(list.size(), 9);
        for (const auto &w : list)
            QCOMPARE(w.toObject()
                         .value(QStringLiteral("process"))
                         .toObject()
                         .value(QStringLiteral("state"))
                         .toString(),
                     QStringLiteral("running"));
        // None of them holds one of meshd's sockets (a listener or a connection it would keep
        // open).
        const auto meshdSockets = socketInodes(meshd->pid());
        QVERIFY(meshdSockets.size() > 20);
        for (const auto &w : list) {
            const auto pid = w.toObject()
                                 .value(QStringLiteral("process"))
                                 .toObject()
                                 .value(QStringLiteral("pid"))
                                 .toInteger();
            for (const auto &inode : socketInodes(pid))
                QVERIFY2(!meshdSockets.contains(inode),
                         qPrintable(w.toObject().value(QStringLiteral("pod")).toString() + " holds "
                                    + inode));
        }
        QCOMPARE(meshd->stop(SIGTERM), 0);
    }

    void everyApiEndpointWantsTheTokenButMetricsAndHealth()
    {
        TempState state;
        auto meshd = MeshdProcess::start(state.stateDirQString());
        QVERIFY(meshd);
        meshcore::client::AdminClient::Options options;
        options.address = meshd->adminAddress();
        auto anonymous = std::move(*meshcore::client::AdminClient::create(options)); // no token
        for (const char *path :
             {"/api/v1/version", "/api/v1/certificates", "/api/v1/workloads", "/api/v1/topology",
              "/api/v1/history?service=frontend", "/api/v1/routes?service=frontend",
              "/api/v1/events", "/api/v1/checks", "/api/v1/splits",
              "/api/v1/split?service=frontend", "/api/v1/tap",
              "/api/v1/tap?service=frontend&max=1"}) {
            const auto answer = anonymous->get(path);
            QVERIFY2(!answer && answer.error().code == meshcore::ErrorCode::Unauthorized, path);
        }
        QVERIFY(!anonymous->put("/api/v1/split?service=frontend",
                                R"({"backends": [{"version": "v1", "weight": 1}]})"));
        const auto tap
            = anonymous->streamLines("/api/v1/tap", [](std::string_view) { return true; });
        QVERIFY(!tap && tap.error().code == meshcore::ErrorCode::Unauthorized);
        QVERIFY(anonymous->get("/metrics"));
        QVERIFY(anonymous->get("/healthz"));
        QCOMPARE(meshd->stop(SIGTERM), 0);
    }

    void stopsWithOpenConnections()
    {
        TempState state;
        auto meshd = MeshdProcess::start(state.stateDirQString());
        QVERIFY(meshd);
        meshscope::testing::RawSocket idle(meshd->adminAddress());
        meshscope::testing::RawSocket partial(meshd->adminAddress());
        QVERIFY(partial.send("GET /healthz HTTP/1.1\r\n"));
        QTest::qWait(100);
        QCOMPARE(meshd->stop(SIGTERM, 5000), 0);
    }

    void restartKeepsTheToken()
    {
        TempState state;
        auto first = MeshdProcess::start(state.stateDirQString());
        QVERIFY(first);
        const auto before = meshcore::admin::readAdminToken(state.stateDir());
        QCOMPARE(first->stop(SIGTERM), 0);
        auto second = MeshdProcess::start(state.stateDirQString());
        QVERIFY(second);
        QCOMPARE(*meshcore::admin::readAdminToken(state.stateDir()), *before);
    }

    void aSecondMeshdOnTheSameStateDirIsRefused()
    {
        TempState state;
        auto first = MeshdProcess::start(state.stateDirQString());
        QVERIFY(first);
        const auto run = runMeshd({QStringLiteral("up"), QStringLiteral("--demo"),
                                   QStringLiteral("--admin"), QStringLiteral("127.0.0.1:0"),
                                   QStringLiteral("--state-dir"), state.stateDirQString()});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("already running")), qPrintable(run.err));
        QVERIFY(run.err.contains(QString::number(first->pid())));
        QVERIFY(answers(first->adminAddress()));
    }

    void aTakenAdminPortIsReported()
    {
        TempState a;
        TempState b;
        auto first = MeshdProcess::start(a.stateDirQString());
        QVERIFY(first);
        const auto run = runMeshd({QStringLiteral("up"), QStringLiteral("--demo"),
                                   QStringLiteral("--admin"), first->adminAddressText(),
                                   QStringLiteral("--outbound"), QStringLiteral("127.0.0.1:0"),
                                   QStringLiteral("--state-dir"), b.stateDirQString()});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("already in use")), qPrintable(run.err));
        QCOMPARE(run.err.count(QLatin1Char('\n')), 1);
    }

    void anInvalidConfigRefusesToStartNamingLineAndColumn()
    {
        TempState state;
        const QString config = state.path(QStringLiteral("mesh.yaml"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("mesh:\n  name: ok\n  bogus: 1\n");
        file.close();
        const auto run = runMeshd({QStringLiteral("up"), QStringLiteral("--config"), config,
                                   QStringLiteral("--admin"), QStringLiteral("127.0.0.1:0"),
                                   QStringLiteral("--state-dir"), state.stateDirQString()});
        QCOMPARE(run.exitCode, 2);
        QCOMPARE(run.err,
                 QStringLiteral("meshd: %1:3:3: unknown key 'bogus' in 'mesh' (expected one of: "
                                "name, trust_domain)\n")
                     .arg(config));
    }

    void runsAConfigFile()
    {
        TempState state;
        const QString config = state.path(QStringLiteral("mesh.yaml"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("mesh:\n  name: laptop\n");
        file.close();
        auto meshd
            = MeshdProcess::start(state.stateDirQString(), {QStringLiteral("--config"), config});
        QVERIFY(meshd);
        QVERIFY(meshd->output().contains(QStringLiteral("mesh 'laptop'")));
    }

    void versionVerbTalksToTheRunningMeshd()
    {
        TempState state;
        auto meshd = MeshdProcess::start(state.stateDirQString());
        QVERIFY(meshd);
        const auto up = runMeshd({QStringLiteral("version"), QStringLiteral("--admin"),
                                  meshd->adminAddressText(), QStringLiteral("--state-dir"),
                                  state.stateDirQString()});
        QCOMPARE(up.exitCode, 0);
        QVERIFY2(up.out.contains(QStringLiteral("Server version: 0.")), qPrintable(up.out));
        QVERIFY(up.out.contains(QStringLiteral("mesh 'demo'")));
        QCOMPARE(meshd->stop(SIGTERM), 0);

        const auto down = runMeshd({QStringLiteral("version"), QStringLiteral("--admin"),
                                    meshd->adminAddressText(), QStringLiteral("--state-dir"),
                                    state.stateDirQString()});
        QCOMPARE(down.exitCode, 1);
        QVERIFY(down.out.contains(QStringLiteral("Server version: unavailable")));
        QVERIFY2(down.err.contains(QStringLiteral("cannot connect to meshd at ")),
                 qPrintable(down.err));
    }

    void versionAndHelpFlags()
    {
        const auto version = runMeshd({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith(QStringLiteral("meshd 0.")));
        const auto help = runMeshd({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(QStringLiteral("Usage:")));
        const auto bad = runMeshd({QStringLiteral("up"), QStringLiteral("--nope")});
        QCOMPARE(bad.exitCode, 2);
        QCOMPARE(bad.err.count(QLatin1Char('\n')), 1);
    }
};

QTEST_GUILESS_MAIN(TestMeshd)
#include "tst_meshd.moc"
