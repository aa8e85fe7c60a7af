#include "tests/support/promtool.h"

#include <QProcess>
#include <QStringList>

namespace meshscope::testing {

QString promtoolProblems(const QByteArray &exposition)
{
    QProcess promtool;
    promtool.setProcessChannelMode(QProcess::MergedChannels);
    promtool.start(QStringLiteral("promtool"),
                   {QStringLiteral("check"), QStringLiteral("metrics")});
    if (!promtool.waitForStarted(10000))
        return QStringLiteral("promtool did not start: ") + promtool.errorString();
    promtool.write(exposition);
    promtool.closeWriteChannel();
    if (!promtool.waitForFinished(30000))
        return QStringLiteral("promtool did not finish");
    QString remarks = QString::fromUtf8(promtool.readAll());
    if (promtool.exitCode() == 0)
        return {};
    if (promtool.exitCode() != 3)
        return remarks;
    // Linkerd's names, kept on purpose (docs/linkerd-compat.md), are the lint's only remarks.
    const QStringList linkerdNames {
        QStringLiteral("response_latency_ms metric names should not contain abbreviated units"),
        QStringLiteral(
            "tcp_connection_duration_ms metric names should not contain abbreviated units")};
    for (const auto &line : remarks.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        if (!linkerdNames.contains(line))
            return remarks;
    return {};
}

} // namespace meshscope::testing
