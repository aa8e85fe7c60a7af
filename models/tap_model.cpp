#include "models/tap_model.h"

#include <QDateTime>

#include "models/figures_text.h"
#include "models/health.h"
#include "models/item_roles.h"

namespace meshscope::models {

TapModel::TapModel(QObject *parent, int capacity)
    : RecentRowsModel(parent, capacity)
{
}

void TapModel::append(const std::vector<meshcore::telemetry::TapEvent> &events)
{
    if (m_paused) {
        m_missed += static_cast<qint64>(events.size());
        return;
    }
    prepend(events);
}

void TapModel::setPaused(bool paused)
{
    m_paused = paused;
    if (!paused)
        m_missed = 0;
}

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
        return QString::number(e.status);
    case Latency:
        return humanMs(e.latencyMs);
    case Tls:
        return e.mtls ? tr("mTLS") : tr("none");
    case Route:
        return QString::fromStdString(e.route);
    case Retries:
        return QString::number(e.retries);
    case Error:
        return QString::fromStdString(e.error);
    default:
        return {};
    }
}

QVariant TapModel::data(const QModelIndex &index, int role) const
{
    const auto *e = index.isValid() ? eventAt(index.row()) : nullptr;
    if (!e)
        return {};
    if (role == Qt::DisplayRole)
        return text(*e, index.column());
    if (role == StatusRole && (e->status >= 500 || !e->mtls))
        return static_cast<int>(Health::Failing);
    if (role == Qt::ToolTipRole)
        return tr("%1 → %2\nsource identity: %3\ndestination identity: %4")
            .arg(QString::fromStdString(e->sourcePod),
                 QString::fromStdString(e->destinationService),
                 QString::fromStdString(e->sourceIdentity),
                 QString::fromStdString(e->destinationIdentity.empty() ? "-"
                                                                       : e->destinationIdentity));
    return {};
}

QVariant TapModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0
        || section >= ColumnCount)
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
