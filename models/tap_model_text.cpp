#include "models/tap_model.h"

#include <QDateTime>

#include "models/figures_text.h"

// The tap's words: column titles, what each cell says, and the rows as text to copy or export.
namespace meshscope::models {

QString TapModel::text(const meshcore::telemetry::TapEvent &e, int column) const
{
    switch (column) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(e.unixMs).toString(QStringLiteral("HH:mm:ss.zzz"));
    case Source:
        return QString::fromStdString(e.sourcePod);
    case Destination:
        return QString::fromStdString(e.destinationPod.empty() ? e.destinationService
                                                               : e.destinationPod);
    case Method:
        return QString::fromStdString(e.method);
    case Path:
        return QString::fromStdString(e.authority + e.path);
    case Status:
        return e.status == 0 ? QStringLiteral("–") : QString::number(e.status);
    case Latency:
        return humanMs(e.latencyMs);
    case Tls:
        return e.mtls ? tr("mTLS") : tr("none");
    case Route:
        return QString::fromStdString(e.route);
    case Retries:
        return e.retries == 0 ? QString() : QString::number(e.retries);
    case Error:
        return QString::fromStdString(e.error);
    default:
        return {};
    }
}

QVariant TapModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::InitialSortOrderRole) // the newest, slowest, worst first
        return section == Time || section == Status || section == Latency || section == Retries
            ? Qt::DescendingOrder
            : Qt::AscendingOrder;
    if (role != Qt::DisplayRole)
        return {};
    static const char *const Titles[ColumnCount]
        = {"Time",    "From", "To",    "Method",  "Path",       "Status",
           "Latency", "TLS",  "Route", "Retries", "Proxy error"};
    return tr(Titles[section]);
}

QString TapModel::toText(const QList<int> &rows, QChar separator) const
{
    QStringList lines;
    QStringList header;
    for (int c = 0; c < ColumnCount; ++c)
        header << headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
    lines << header.join(separator);
    for (const int row : rows)
        if (const auto *e = eventAt(row)) {
            QStringList fields;
            for (int c = 0; c < ColumnCount; ++c) {
                QString field = text(*e, c);
                if (separator == QLatin1Char(',')
                    && (field.contains(QLatin1Char(',')) || field.contains(QLatin1Char('"'))))
                    field = QLatin1Char('"')
                        + field.replace(QLatin1Char('"'), QStringLiteral("\"\""))
                        + QLatin1Char('"'); // RFC 4180
                fields << field;
            }
            lines << fields.join(separator);
        }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace meshscope::models
