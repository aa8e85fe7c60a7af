#include "models/events_model.h"

#include <QDateTime>

namespace meshscope::models {

EventsModel::EventsModel(QObject *parent, int capacity)
    : RecentRowsModel(parent, capacity)
{
}

QVariant EventsModel::data(const QModelIndex &index, int role) const
{
    const auto *event = index.isValid() ? itemAt(index.row()) : nullptr;
    if (!event)
        return {};
    const auto &e = *event;
    if (role == Qt::ToolTipRole)
        return QString::fromStdString(e.message);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Time:
        return QDateTime::fromMSecsSinceEpoch(e.timeUnixMs)
            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Kind:
        return QString::fromStdString(e.kind);
    case Subject:
        return QString::fromStdString(e.subject);
    case Message:
        return QString::fromStdString(e.message);
    default:
        return {};
    }
}

QVariant EventsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0
        || section >= ColumnCount)
        return {};
    static const char *const Titles[ColumnCount] = {"Time", "Kind", "Subject", "What happened"};
    return tr(Titles[section]);
}

} // namespace meshscope::models
