#include "models/figures_text.h"

namespace meshscope::models {

QString humanRps(double rps)
{
    if (rps >= 1000)
        return QStringLiteral("%1k rps").arg(rps / 1000, 0, 'f', 1);
    if (rps >= 10)
        return QStringLiteral("%1 rps").arg(rps, 0, 'f', 0);
    return QStringLiteral("%1 rps").arg(rps, 0, 'f', 1);
}

QString humanPercent(std::optional<double> share)
{
    if (!share)
        return QStringLiteral("–");
    const double percent = *share * 100;
    if (percent >= 99.995)
        return QStringLiteral("100 %");
    if (percent >= 99)
        return QStringLiteral("%1 %").arg(percent, 0, 'f', 2);
    return QStringLiteral("%1 %").arg(percent, 0, 'f', 1);
}

QString humanMs(double milliseconds)
{
    if (milliseconds >= 1000)
        return QStringLiteral("%1 s").arg(milliseconds / 1000, 0, 'f', 1);
    if (milliseconds >= 10)
        return QStringLiteral("%1 ms").arg(milliseconds, 0, 'f', 0);
    return QStringLiteral("%1 ms").arg(milliseconds, 0, 'f', 1);
}

QString humanBytesPerSecond(double bytesPerSecond)
{
    if (bytesPerSecond >= 1e9)
        return QStringLiteral("%1 GB/s").arg(bytesPerSecond / 1e9, 0, 'f', 1);
    if (bytesPerSecond >= 1e6)
        return QStringLiteral("%1 MB/s").arg(bytesPerSecond / 1e6, 0, 'f', 1);
    if (bytesPerSecond >= 1e3)
        return QStringLiteral("%1 kB/s").arg(bytesPerSecond / 1e3, 0, 'f', 1);
    return QStringLiteral("%1 B/s").arg(bytesPerSecond, 0, 'f', 0);
}

} // namespace meshscope::models
