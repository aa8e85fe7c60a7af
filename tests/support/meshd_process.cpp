#include "tests/support/meshd_process.h"

#include <QDeadlineTimer>
#include <QRegularExpression>
#include <QTest>

#include <csignal>
#include <sys/resource.h>

namespace meshscope::testing {

std::unique_ptr<MeshdProcess> MeshdProcess::start(const QString &stateDir, const QStringList &extra,
                                                  int fileLimit)
{
    std::unique_ptr<MeshdProcess> meshd(new MeshdProcess);
    meshd->m_process.setProcessChannelMode(QProcess::MergedChannels);
    if (fileLimit != 0)
        meshd->m_process.setChildProcessModifier([fileLimit] {
            rlimit limit {};
            ::getrlimit(RLIMIT_NOFILE, &limit);
            limit.rlim_cur = static_cast<rlim_t>(fileLimit > 0 ? fileLimit : -fileLimit);
            if (fileLimit > 0)
                limit.rlim_max = limit.rlim_cur;
            ::setrlimit(RLIMIT_NOFILE, &limit);
        });
    QStringList args {QStringLiteral("up"), QStringLiteral("--state-dir"), stateDir};
    // Free ports unless the test names its own (a restart on the same address).
    if (!extra.contains(QStringLiteral("--admin")))
        args << QStringLiteral("--admin") << QStringLiteral("127.0.0.1:0");
    if (!extra.contains(QStringLiteral("--outbound")))
        args << QStringLiteral("--outbound") << QStringLiteral("127.0.0.1:0");
    if (!extra.contains(QStringLiteral("--config")))
        args << QStringLiteral("--demo");
    args << extra;
    meshd->m_process.start(QStringLiteral(MESHD_PATH), args);
    if (!meshd->m_process.waitForStarted(5000)) {
        qWarning("cannot start meshd: %s", qPrintable(meshd->m_process.errorString()));
        return nullptr;
    }
    static const QRegularExpression Listening(QStringLiteral("admin API listening on (\\S+)"));
    QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired()) {
        meshd->m_process.waitForReadyRead(100);
        meshd->m_output += QString::fromUtf8(meshd->m_process.readAll());
        const auto match = Listening.match(meshd->m_output);
        if (match.hasMatch() && meshd->m_output.contains(QStringLiteral("meshd: ready\n"))) {
            auto address = meshcore::parseAddress(match.captured(1).toStdString());
            if (!address)
                break;
            meshd->m_address = *address;
            return meshd;
        }
        if (meshd->m_process.state() == QProcess::NotRunning)
            break;
    }
    qWarning("meshd did not come up; it printed:\n%s", qPrintable(meshd->m_output));
    return nullptr;
}

MeshdProcess::~MeshdProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

int MeshdProcess::stop(int signal, int timeoutMs)
{
    ::kill(static_cast<pid_t>(m_process.processId()), signal);
    if (!m_process.waitForFinished(timeoutMs))
        return -1;
    m_output += QString::fromUtf8(m_process.readAll());
    if (m_process.exitStatus() != QProcess::NormalExit)
        return -1;
    return m_process.exitCode();
}

MeshdRun runMeshd(const QStringList &args, int timeoutMs)
{
    QProcess process;
    process.start(QStringLiteral(MESHD_PATH), args);
    MeshdRun run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

} // namespace meshscope::testing
