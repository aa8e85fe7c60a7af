#pragma once

#include <QAbstractTableModel>

#include <algorithm>
#include <deque>
#include <vector>

namespace meshscope::models {

// A table of the latest `capacity` items, newest first: new items arrive as rows inserted at
// the top, the oldest leave at the bottom. For logs that only grow (events, the tap).
// Thread: GUI.
template <typename Item> class RecentRowsModel : public QAbstractTableModel {
public:
    RecentRowsModel(QObject *parent, int capacity)
        : QAbstractTableModel(parent)
        , m_capacity(capacity)
    {
    }

    // `items` oldest first, as they happened.
    void prepend(const std::vector<Item> &items)
    {
        if (items.empty())
            return;
        const int count = static_cast<int>(
            std::min<std::size_t>(items.size(), static_cast<std::size_t>(m_capacity)));
        beginInsertRows({}, 0, count - 1);
        for (auto it = items.end() - count; it != items.end(); ++it)
            m_items.push_front(*it);
        endInsertRows();
        const int excess = static_cast<int>(m_items.size()) - m_capacity;
        if (excess > 0) {
            beginRemoveRows({}, m_capacity, m_capacity + excess - 1);
            m_items.resize(static_cast<std::size_t>(m_capacity));
            endRemoveRows();
        }
    }

    void clear()
    {
        if (m_items.empty())
            return;
        beginRemoveRows({}, 0, static_cast<int>(m_items.size()) - 1);
        m_items.clear();
        endRemoveRows();
    }

    const Item *itemAt(int row) const
    {
        return row >= 0 && row < static_cast<int>(m_items.size())
            ? &m_items[static_cast<std::size_t>(row)]
            : nullptr;
    }

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : static_cast<int>(m_items.size());
    }

private:
    int m_capacity;
    std::deque<Item> m_items; // newest first
};

} // namespace meshscope::models
