// A real Prometheus (the Debian package) scrapes a real meshd running the demo mesh; Linkerd's
// success-rate query over response_total finds the same services `meshd stat` lists.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QUrl>

#include <csignal>

#include "tests/support/meshd_process.h"
#include "tests/support/raw_socket.h"
#include "tests/support/temp_state.h"

using meshscope::testing::MeshdProcess;
using meshscope::testing::runMeshd;
using meshscope::testing::TempState;

namespace {

// An instant PromQL query through Prometheus' HTTP API, with the curl command.
QJsonArray query(const meshcore::Address &prometheus, const QString &promql)
{
    QProcess curl;
    curl.start(QStringLiteral("curl"),
               {QStringLiteral("-sS"), QStringLiteral("--noproxy"), QStringLiteral("*"),
                QStringLiteral("--max-time"), QStringLiteral("5"),
                QStringLiteral("--data-urlencode"), QStringLiteral("query=") + promql,
                QStringLiteral("http://%1/api/v1/query")
                    .arg(QString::fromStdString(prometheus.toString()))});
    curl.waitForFinished(10000);
    const auto json = QJsonDocument::fromJson(curl.readAllStandardOutput()).object();
    return json.value(QStringLiteral("data")).toObject().value(QStringLiteral("result")).toArray();
}

} // namespace

class TestMeshdPrometheus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void linkerdsSuccessRateQueryFindsTheServicesMeshdStatLists()
    {
        TempState state;
        auto meshd = MeshdProcess::start(state.stateDirQString()); // the demo mesh
        QVERIFY(meshd);

        const auto prometheusAddress = meshscope::testing::unusedLoopbackAddress();
        const QString config = state.path(QStringLiteral("prometheus.yml"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QStringLiteral("global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                                  "scrape_configs:\n"
                                  "  - job_name: meshd\n"
                                  "    static_configs: [{targets: ['%1']}]\n")
                       .arg(meshd->adminAddressText())
                       .toUtf8());
        file.close();
        QProcess prometheus;
        prometheus.setProcessChannelMode(QProcess::MergedChannels);
        prometheus.start(
            QStringLiteral("prometheus"),
            {QStringLiteral("--config.file=") + config,
             QStringLiteral("--storage.tsdb.path=") + state.path(QStringLiteral("tsdb")),
             QStringLiteral("--web.listen-address=")
                 + QString::fromStdString(prometheusAddress.toString())});
        QVERIFY2(prometheus.waitForStarted(5000), "prometheus (Debian package) is not installed");

        // Linkerd's success rate per service, as callers see it.
        const QString successRate = QStringLiteral(
            "sum by (dst_service) "
            "(rate(response_total{direction=\"outbound\",classification=\"success\",dst_service!="
            "\"\"}[10s]))"
            " / sum by (dst_service) "
            "(rate(response_total{direction=\"outbound\",dst_service!=\"\"}[10s]))");
        QSet<QString> fromPrometheus;
        QTRY_VERIFY_WITH_TIMEOUT(
            ([&] {
                fromPrometheus.clear();
                for (const auto &series : query(prometheusAddress, successRate)) {
                    const auto object = series.toObject();
                    const double rate = object.value(QStringLiteral("value"))
                                            .toArray()
                                            .at(1)
                                            .toString()
                                            .toDouble();
                    if (rate > 0)
                        fromPrometheus.insert(object.value(QStringLiteral("metric"))
                                                  .toObject()
                                                  .value(QStringLiteral("dst_service"))
                                                  .toString());
                }
                return fromPrometheus.size() >= 7;
            }()),
            30000);

        const auto stat = runMeshd({QStringLiteral("stat"), QStringLiteral("--admin"),
                                    meshd->adminAddressText(), QStringLiteral("--state-dir"),
                                    state.stateDirQString()});
        QCOMPARE(stat.exitCode, 0);
        QSet<QString> fromStat;
        for (const auto &line : stat.out.split(QLatin1Char('\n')).mid(1))
            if (const auto name = line.section(QLatin1Char(' '), 0, 0); !name.isEmpty())
                fromStat.insert(name.section(QLatin1Char('.'), 0, 0));
        qInfo("Prometheus: %s; meshd stat: %s",
              qPrintable(QStringList(fromPrometheus.values()).join(QLatin1Char(' '))),
              qPrintable(QStringList(fromStat.values()).join(QLatin1Char(' '))));
        QCOMPARE(fromPrometheus, fromStat);

        prometheus.terminate();
        prometheus.waitForFinished(10000);
        QCOMPARE(meshd->stop(SIGTERM), 0);
    }
};

QTEST_GUILESS_MAIN(TestMeshdPrometheus)
#include "tst_meshd_prometheus.moc"
