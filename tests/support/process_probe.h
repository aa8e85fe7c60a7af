#pragma once

#include <QFile>
#include <QString>

#include <csignal>

namespace meshscope::testing {

// True while `pid` is a live process; a zombie (exited, not yet reaped) counts as gone.
inline bool processAlive(qint64 pid)
{
    if (pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) != 0)
        return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    const auto close = line.lastIndexOf(')');
    return close > 0 && line.mid(close + 2, 1) != "Z";
}

} // namespace meshscope::testing
