// `meshd ca ...` and the CA inside `meshd up`, as users run them: real processes, real files,
// and the openssl and promtool command-line tools as independent judges.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

#include <algorithm>

#include <sys/stat.h>

#include "admin/admin_token.h"
#include "ca/certificate.h"
#include "client/admin_client.h"
#include "tests/support/meshd_process.h"
#include "tests/support/promtool.h"
#include "tests/support/temp_state.h"

using meshscope::testing::MeshdProcess;
using meshscope::testing::runMeshd;
using meshscope::testing::TempState;

namespace {

struct ToolRun {
    int exitCode = -1;
    QString out;
};

ToolRun runTool(const QString &program, const QStringList &args, const QByteArray &input = {})
{
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(program, args);
    if (!process.waitForStarted(5000))
        return {};
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    process.waitForFinished(30000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            QString::fromUtf8(process.readAll())};
}

QStringList withStateDir(QStringList args, const TempState &state)
{
    return args << QStringLiteral("--state-dir") << state.stateDirQString();
}

std::unique_ptr<meshcore::client::AdminClient> clientFor(const MeshdProcess &meshd,
                                                         const TempState &state)
{
    meshcore::client::AdminClient::Options options;
    options.address = meshd.adminAddress();
    options.token = *meshcore::admin::readAdminToken(state.stateDir());
    return std::move(*meshcore::client::AdminClient::create(options));
}

QString anchorSerial(const TempState &state)
{
    const auto run = runMeshd(withStateDir(
        {QStringLiteral("ca"), QStringLiteral("inspect"), QStringLiteral("--json")}, state));
    const auto json = QJsonDocument::fromJson(run.out.toUtf8()).object();
    for (const auto &c : json.value(QStringLiteral("certificates")).toArray())
        if (c.toObject().value(QStringLiteral("kind")).toString() == QStringLiteral("trust-anchor"))
            return c.toObject().value(QStringLiteral("serial")).toString();
    return {};
}

} // namespace

class TestMeshdCa : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void issuedCertificatesVerifyWithOpenssl()
    {
        TempState state;
        QCOMPARE(
            runMeshd(withStateDir({QStringLiteral("ca"), QStringLiteral("init")}, state)).exitCode,
            0);
        const QString out = state.path(QStringLiteral("web"));
        const QString identity = QStringLiteral("spiffe://mesh.local/ns/shop/sa/web");
        const auto issued = runMeshd(withStateDir(
            {QStringLiteral("ca"), QStringLiteral("issue"), QStringLiteral("--identity"), identity,
             QStringLiteral("--out"), out, QStringLiteral("--lifetime"), QStringLiteral("2h")},
            state));
        QVERIFY2(issued.exitCode == 0, qPrintable(issued.err));

        const auto verify
            = runTool(QStringLiteral("openssl"),
                      {QStringLiteral("verify"), QStringLiteral("-CAfile"),
                       out + QStringLiteral("/ca.crt"), QStringLiteral("-untrusted"),
                       out + QStringLiteral("/tls.crt"), out + QStringLiteral("/tls.crt")});
        QVERIFY2(verify.exitCode == 0, qPrintable(verify.out));
        QVERIFY(verify.out.contains(QStringLiteral(": OK")));

        // The leaf carries exactly the requested URI SAN and lives the lifetime plus the skew.
        QFile chain(out + QStringLiteral("/tls.crt"));
        QVERIFY(chain.open(QIODevice::ReadOnly));
        const auto certificates
            = meshcore::ca::parsePemCertificates(chain.readAll().toStdString(), "tls.crt");
        QVERIFY(certificates);
        QCOMPARE(certificates->size(), std::size_t(2));
        const auto &leaf = certificates->front();
        QCOMPARE(leaf.allSans(), std::vector<std::string> {"URI:" + identity.toStdString()});
        QCOMPARE(leaf.notAfter() - leaf.notBefore(),
                 std::chrono::system_clock::duration(std::chrono::seconds(2 * 3600 + 10)));

        const auto sans = runTool(QStringLiteral("openssl"),
                                  {QStringLiteral("x509"), QStringLiteral("-in"),
                                   out + QStringLiteral("/tls.crt"), QStringLiteral("-noout"),
                                   QStringLiteral("-ext"), QStringLiteral("subjectAltName")});
        QVERIFY2(sans.out.contains(QStringLiteral("URI:") + identity), qPrintable(sans.out));

        struct stat info { };
        QCOMPARE(::stat(qPrintable(out + QStringLiteral("/tls.key")), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);
        // The key matches the certificate (openssl agrees on the public key).
        const auto keyPub = runTool(QStringLiteral("openssl"),
                                    {QStringLiteral("pkey"), QStringLiteral("-in"),
                                     out + QStringLiteral("/tls.key"), QStringLiteral("-pubout")});
        const auto certPub = runTool(QStringLiteral("openssl"),
                                     {QStringLiteral("x509"), QStringLiteral("-in"),
                                      out + QStringLiteral("/tls.crt"), QStringLiteral("-noout"),
                                      QStringLiteral("-pubkey")});
        QCOMPARE(keyPub.out, certPub.out);

        const auto inspect
            = runMeshd(withStateDir({QStringLiteral("ca"), QStringLiteral("inspect")}, state));
        QCOMPARE(inspect.exitCode, 0);
        QVERIFY2(inspect.out.contains(identity)
                     && inspect.out.contains(QStringLiteral("trust-anchor  signing")),
                 qPrintable(inspect.out));
    }

    void concurrentInitsMakeOneCa()
    {
        TempState state;
        std::vector<std::unique_ptr<QProcess>> processes;
        for (int i = 0; i < 4; ++i) {
            processes.push_back(std::make_unique<QProcess>());
            processes.back()->start(
                QStringLiteral(MESHD_PATH),
                withStateDir({QStringLiteral("ca"), QStringLiteral("init")}, state));
        }
        int created = 0;
        for (auto &p : processes) {
            QVERIFY(p->waitForFinished(30000));
            QCOMPARE(p->exitCode(), 0);
            created += QString::fromUtf8(p->readAllStandardOutput())
                           .startsWith(QStringLiteral("Created"))
                ? 1
                : 0;
        }
        QCOMPARE(created, 1);
        QVERIFY(!anchorSerial(state).isEmpty());
    }

    void rotationsOutOfOrderAreRefused()
    {
        TempState state;
        QCOMPARE(
            runMeshd(withStateDir({QStringLiteral("ca"), QStringLiteral("init")}, state)).exitCode,
            0);
        const auto remove
            = runMeshd(withStateDir({QStringLiteral("ca"), QStringLiteral("rotate-anchor"),
                                     QStringLiteral("--stage"), QStringLiteral("remove")},
                                    state));
        QCOMPARE(remove.exitCode, 1);
        QVERIFY2(remove.err.contains(QStringLiteral("out of order")), qPrintable(remove.err));
        const auto bad
            = runMeshd(withStateDir({QStringLiteral("ca"), QStringLiteral("rotate-anchor"),
                                     QStringLiteral("--stage"), QStringLiteral("sideways")},
                                    state));
        QCOMPARE(bad.exitCode, 2);
        const auto noCa
            = runMeshd({QStringLiteral("ca"), QStringLiteral("inspect"),
                        QStringLiteral("--state-dir"), state.path(QStringLiteral("empty"))});
        QCOMPARE(noCa.exitCode, 1);
        QVERIFY(noCa.err.contains(QStringLiteral("meshd ca init")));
    }

    void meshdServesItsCaAndSeesCliRotations()
    {
        TempState state;
        auto meshd = MeshdProcess::start(state.stateDirQString());
        QVERIFY(meshd);
        QVERIFY(meshd->output().contains(
            QStringLiteral("created the CA for trust domain 'mesh.local'")));
        auto client = clientFor(*meshd, state);
        const auto report = client->certificates();
        QVERIFY2(report, report ? "" : report.error().message.c_str());
        QCOMPARE(report->trustDomain, std::string("mesh.local"));
        QVERIFY(report->canIssue);
        QCOMPARE(report->anchorStage, std::string("stable"));
        // The anchor, the issuer, one certificate per sidecar of the demo mesh's nine workloads,
        // and the one of the outbound proxy for local clients.
        QCOMPARE(report->certificates.size(), std::size_t(2 + 9 + 1));
        QVERIFY(std::any_of(
            report->certificates.begin(), report->certificates.end(), [](const auto &c) {
                return c.identity == "spiffe://mesh.local/ns/meshscope-local/sa/local-client";
            }));
        QVERIFY(std::any_of(
            report->certificates.begin(), report->certificates.end(), [](const auto &c) {
                return c.identity == "spiffe://mesh.local/ns/shop/sa/recommendations";
            }));
        const auto generation = report->generation;

        // A rotation from the CLI, next to the running meshd, shows up in its API.
        const auto rotated = runMeshd(
            withStateDir({QStringLiteral("ca"), QStringLiteral("rotate-issuer")}, state));
        QCOMPARE(rotated.exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(client->certificates()->generation > generation, 5000);

        // Rotations through the API: in order, and refused out of order with 409.
        const auto outOfOrder = client->rotateAnchor("reissue");
        QVERIFY(!outOfOrder);
        QVERIFY(outOfOrder.error().message.find("out of order") != std::string::npos);
        const auto added = client->rotateAnchor("add");
        QVERIFY(added);
        QCOMPARE(added->anchorStage, std::string("added"));
        QVERIFY(client->rotateAnchor("reissue"));
        QCOMPARE(client->rotateAnchor("remove")->anchorStage, std::string("stable"));
    }

    void metricsPassPromtool()
    {
        TempState state;
        auto meshd = MeshdProcess::start(state.stateDirQString());
        QVERIFY(meshd);
        meshcore::client::AdminClient::Options options;
        options.address = meshd->adminAddress();
        auto client = std::move(
            *meshcore::client::AdminClient::create(options)); // no token: /metrics is open
        const auto metrics = client->get("/metrics");
        QVERIFY2(metrics, metrics ? "" : metrics.error().message.c_str());
        const QString text = QString::fromStdString(*metrics);
        QVERIFY(text.contains(
            QStringLiteral("identity_cert_expiration_timestamp_seconds{identity=\"Meshscope trust "
                           "anchor 1 (mesh.local)\",kind=\"trust-anchor\"")));
        QVERIFY(
            text.contains(QStringLiteral("meshscope_ca_can_issue{trust_domain=\"mesh.local\"} 1")));
        const QString problems
            = meshscope::testing::promtoolProblems(QByteArray::fromStdString(*metrics));
        QVERIFY2(problems.isEmpty(), qPrintable(problems));
    }

    void aDamagedCaStopsMeshdWithoutReplacingIt()
    {
        TempState state;
        QCOMPARE(
            runMeshd(withStateDir({QStringLiteral("ca"), QStringLiteral("init")}, state)).exitCode,
            0);
        QFile file(state.stateDirQString() + QStringLiteral("/ca/ca.json"));
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("{\"format\": 1, \"generation\":");
        file.close();
        const auto up
            = runMeshd(withStateDir({QStringLiteral("up"), QStringLiteral("--demo"),
                                     QStringLiteral("--admin"), QStringLiteral("127.0.0.1:0")},
                                    state));
        QCOMPARE(up.exitCode, 1);
        QVERIFY2(up.err.contains(QStringLiteral("is damaged")), qPrintable(up.err));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("{\"format\": 1, \"generation\":"));
    }

    void aCaForAnotherTrustDomainIsRefused()
    {
        TempState state;
        QCOMPARE(runMeshd(withStateDir({QStringLiteral("ca"), QStringLiteral("init"),
                                        QStringLiteral("--trust-domain"),
                                        QStringLiteral("other.example")},
                                       state))
                     .exitCode,
                 0);
        const auto up
            = runMeshd(withStateDir({QStringLiteral("up"), QStringLiteral("--demo"),
                                     QStringLiteral("--admin"), QStringLiteral("127.0.0.1:0")},
                                    state));
        QCOMPARE(up.exitCode, 1);
        QVERIFY2(up.err.contains(QStringLiteral("trust domain 'other.example'")),
                 qPrintable(up.err));
    }
};

QTEST_GUILESS_MAIN(TestMeshdCa)
#include "tst_meshd_ca.moc"
