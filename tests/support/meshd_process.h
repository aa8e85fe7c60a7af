#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

#include <memory>

#include "core/address.h"

namespace meshscope::testing {

// A real meshd child process (`meshd up`), on a free loopback port chosen by meshd itself, for
// integration tests. The destructor kills it if the test did not stop it.
class MeshdProcess {
public:
    // Starts `meshd up --demo --admin 127.0.0.1:0 --outbound 127.0.0.1:0 --state-dir DIR EXTRA...`
    // (`--admin` and `--outbound` in EXTRA replace those, `--config` replaces `--demo`)
    // and waits until it says it is ready. Returns nullptr (with a QWARN) if it did not come up.
    // `fileLimit` > 0 starts it with RLIMIT_NOFILE at that, soft and hard (so it cannot raise it);
    // < 0 sets only the soft limit, to -fileLimit.
    static std::unique_ptr<MeshdProcess> start(const QString &stateDir,
                                               const QStringList &extra = {}, int fileLimit = 0);
    ~MeshdProcess();

    meshcore::Address adminAddress() const { return m_address; }
    QString adminAddressText() const { return QString::fromStdString(m_address.toString()); }
    QProcess &process() { return m_process; }
    qint64 pid() const { return m_process.processId(); }

    // Sends `signal` and waits for the exit; returns the exit code, or -1 if it did not exit
    // normally within `timeoutMs`.
    int stop(int signal, int timeoutMs = 10000);
    QString output() const { return m_output; }

private:
    MeshdProcess() = default;
    QProcess m_process;
    meshcore::Address m_address;
    QString m_output;
};

// Runs meshd to completion with `args`; returns exit code, stdout and stderr.
struct MeshdRun {
    int exitCode = -1;
    QString out;
    QString err;
};
MeshdRun runMeshd(const QStringList &args, int timeoutMs = 15000);

} // namespace meshscope::testing
