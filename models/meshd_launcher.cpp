#include "models/meshd_launcher.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QStandardPaths>

#include <csignal>
#include <sys/prctl.h>

namespace meshscope::models {
namespace {
constexpr int MaxOutputLines = 40;
}

MeshdLauncher::MeshdLauncher(QObject *parent)
    : QObject(parent)
{
}

MeshdLauncher::~MeshdLauncher()
{
    stop();
}

QString MeshdLauncher::findMeshd()
{
    const QString fromEnv = qEnvironmentVariable("MESHSCOPE_MESHD");
    if (!fromEnv.isEmpty())
        return QFileInfo(fromEnv).isExecutable() ? fromEnv : QString();
    const QString bundled = QCoreApplication::applicationDirPath() + QStringLiteral("/meshd");
    if (QFileInfo(bundled).isExecutable())
        return bundled;
    return QStandardPaths::findExecutable(QStringLiteral("meshd"));
}

bool MeshdLauncher::start(const QString &adminAddress, const QString &outboundAddress,
                          const QString &stateDir)
{
    if (isRunning())
        return true;
    m_program = findMeshd();
    if (m_program.isEmpty()) {
        m_lastError = tr("cannot find the meshd program (looked next to meshscope and on PATH; "
                         "set MESHSCOPE_MESHD to its path)");
        return false;
    }
    delete m_process;
    m_process = new QProcess(this);
    m_output.clear();
    m_stopping = false;
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    m_process->setChildProcessModifier([] {
        // Runs in the child between fork and exec: die with the app.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    });
    connect(m_process, &QProcess::readyRead, this, &MeshdLauncher::onOutput);
    connect(m_process, &QProcess::finished, this, &MeshdLauncher::onFinished);
    m_process->start(m_program,
                     {QStringLiteral("up"), QStringLiteral("--demo"), QStringLiteral("--admin"),
                      adminAddress, QStringLiteral("--outbound"), outboundAddress,
                      QStringLiteral("--state-dir"), stateDir});
    if (!m_process->waitForStarted(5000)) {
        m_lastError = tr("cannot run %1: %2").arg(m_program, m_process->errorString());
        return false;
    }
    return true;
}

void MeshdLauncher::stop(int graceMs)
{
    if (!isRunning())
        return;
    m_stopping = true;
    m_process->terminate();
    if (!m_process->waitForFinished(graceMs)) {
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

bool MeshdLauncher::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 MeshdLauncher::pid() const
{
    return isRunning() ? m_process->processId() : 0;
}

void MeshdLauncher::onOutput()
{
    while (m_process->canReadLine()) {
        m_output << QString::fromUtf8(m_process->readLine()).trimmed();
        if (m_output.size() > MaxOutputLines)
            m_output.removeFirst();
    }
}

void MeshdLauncher::onFinished(int exitCode, QProcess::ExitStatus status)
{
    onOutput();
    const QString rest = QString::fromUtf8(m_process->readAll()).trimmed();
    if (!rest.isEmpty())
        m_output << rest;
    if (m_stopping)
        return;
    QString reason = status == QProcess::CrashExit
        ? tr("meshd crashed")
        : tr("meshd exited with status %1").arg(exitCode);
    if (!m_output.isEmpty())
        reason += QStringLiteral(": ") + m_output.last();
    Q_EMIT exited(exitCode, reason);
}

} // namespace meshscope::models
