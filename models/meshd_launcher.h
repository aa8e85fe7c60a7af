#pragma once

#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace meshscope::models {

// Starts the bundled meshd as a child process (the app's embedded default) and stops it again.
// The child also gets SIGTERM if the app dies without cleaning up, so no meshd is left behind.
// Thread: GUI thread.
class MeshdLauncher : public QObject {
    Q_OBJECT
public:
    explicit MeshdLauncher(QObject *parent = nullptr);
    ~MeshdLauncher() override;

    // $MESHSCOPE_MESHD, else meshd next to this executable, else meshd on PATH; empty if none.
    static QString findMeshd();

    // Starts `meshd up --demo --admin ADDRESS --outbound OUTBOUND --state-dir DIR`. Returns false
    // (and sets lastError) when no meshd binary can be found or it cannot be executed.
    bool start(const QString &adminAddress, const QString &outboundAddress,
               const QString &stateDir);

    // SIGTERM, then waits up to `graceMs` for a clean exit before SIGKILL.
    void stop(int graceMs = 5000);

    bool isRunning() const;
    qint64 pid() const;
    QString program() const { return m_program; }
    QString lastError() const { return m_lastError; }
    // The last lines meshd printed, for error messages.
    QString recentOutput() const { return m_output.join(QLatin1Char('\n')); }

Q_SIGNALS:
    void exited(int exitCode, const QString &reason);

private:
    void onOutput();
    void onFinished(int exitCode, QProcess::ExitStatus status);

    QProcess *m_process = nullptr;
    QString m_program;
    QString m_lastError;
    QStringList m_output;
    bool m_stopping = false;
};

} // namespace meshscope::models
