#include "ui/format.h"

#include <QCoreApplication>

namespace meshscope::ui {

QString humanDuration(qint64 milliseconds)
{
    if (milliseconds < 0)
        milliseconds = 0;
    const qint64 seconds = milliseconds / 1000;
    if (milliseconds < 1000)
        return QCoreApplication::translate("format", "%1 ms").arg(milliseconds);
    if (seconds < 60)
        return QCoreApplication::translate("format", "%1 s").arg(seconds);
    if (seconds < 3600)
        return QCoreApplication::translate("format", "%1 min %2 s")
            .arg(seconds / 60)
            .arg(seconds % 60);
    if (seconds < 86400)
        return QCoreApplication::translate("format", "%1 h %2 min")
            .arg(seconds / 3600)
            .arg(seconds % 3600 / 60);
    return QCoreApplication::translate("format", "%1 d %2 h")
        .arg(seconds / 86400)
        .arg(seconds % 86400 / 3600);
}

} // namespace meshscope::ui
