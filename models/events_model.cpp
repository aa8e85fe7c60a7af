#include "models/events_model.h"

#include <QDateTime>

namespace meshscope::models {

EventsModel::EventsModel(QObject *parent, int capacity) : QAbstractTableModel(parent), m_capacity(capacity) {}

void EventsModel::append(const std::vector<meshcore::admin::EventInfo> &events)
{
    if (events.empty())
        return;
    const int count = static_cast<int>(std::min<std::size_t>(events.size(), static_cast<std::size_t>(m_capacity)));
    beginInsertRows({}, 0, count - 1);
    for (auto it = events.end() - count; it != events.end(); ++it)
        m_events.push_front(*it);
    endInsertRows();
    const int excess = static_cast<int>(m_events.size()) - m_capacity;
    if (excess > 0) {
        beginRemoveRows({}, m_capacity, m_capacity + excess - 1);
        m_events.resize(static_cast<std::size_t>(m_capacity));
        endRemoveRows();
    }
}

void EventsModel::clear()
{
    if (m_events.empty())
        return;
    beginRemoveRows({}, 0, static_cast<int>(m_events.size()) - 1);
    m_events.clear();
    endRemoveRows();
}

int EventsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_events.size());
}

QVariant EventsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= static_cast<int>(m_events.size()))
        return {};
    const auto &e = m_events[static_cast<std::size_t>(index.row())];
    if (role == Qt::ToolTipRole)
        return QString::fromStdString(e.message);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Time: return QDateTime::fromMSecsSinceEpoch(e.timeUnixMs).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    case Kind: return QString::fromStdString(e.kind);
    case Subject: return QString::fromStdString(e.subject);
    case Message: return QString::fromStdString(e.message);
    default: return {};
    }
}

QVariant EventsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= ColumnCount)
        return {};
    static const char *const Titles[ColumnCount] = {"Time", "Kind", "Subject", "What happened"};
    return tr(Titles[section]);
}

} // namespace meshscope::models
