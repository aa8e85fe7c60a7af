#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QString>
#include <QVariant>

#include <vector>

#include "models/item_roles.h"

namespace meshscope::models {

// A table whose rows have stable keys, refreshed with as few signals as the change needs: rows
// whose key went away are removed, new keys are appended, and a changed row gets one dataChanged
// over the columns that changed. Never a reset on refresh, so selections, scroll positions and
// sort orders of the views survive a metrics tick.
// `Row` has `QString key() const` and `operator==`. Subclasses say what the columns show.
// Thread: GUI.
template <typename Row> class KeyedTableModel : public QAbstractTableModel {
public:
    using QAbstractTableModel::QAbstractTableModel;

    // Replaces the rows with `rows` (any order; keys unique).
    void apply(std::vector<Row> rows)
    {
        QHash<QString, int> wanted;
        for (int i = 0; i < static_cast<int>(rows.size()); ++i)
            wanted.insert(rows[static_cast<std::size_t>(i)].key(), i);
        // Removals, from the end so the rows before keep their numbers; runs of them as one.
        for (int row = static_cast<int>(m_rows.size()) - 1; row >= 0;) {
            if (wanted.contains(m_rows[static_cast<std::size_t>(row)].key())) {
                --row;
                continue;
            }
            int first = row;
            while (first > 0 && !wanted.contains(m_rows[static_cast<std::size_t>(first - 1)].key()))
                --first;
            beginRemoveRows({}, first, row);
            m_rows.erase(m_rows.begin() + first, m_rows.begin() + row + 1);
            endRemoveRows();
            row = first - 1;
        }
        reindex();
        // Changes in place.
        std::vector<bool> seen(rows.size(), false);
        for (int row = 0; row < static_cast<int>(m_rows.size()); ++row) {
            const int from = wanted.value(m_rows[static_cast<std::size_t>(row)].key());
            seen[static_cast<std::size_t>(from)] = true;
            auto &fresh = rows[static_cast<std::size_t>(from)];
            if (fresh == m_rows[static_cast<std::size_t>(row)])
                continue;
            int firstColumn = -1;
            int lastColumn = -1;
            for (int column = 0; column < columnCount({}); ++column)
                if (cellDiffers(m_rows[static_cast<std::size_t>(row)], fresh, column)) {
                    firstColumn = firstColumn < 0 ? column : firstColumn;
                    lastColumn = column;
                }
            m_rows[static_cast<std::size_t>(row)] = std::move(fresh);
            if (firstColumn >= 0)
                Q_EMIT dataChanged(index(row, firstColumn), index(row, lastColumn));
        }
        // Additions, at the end, in the order given.
        std::vector<Row> added;
        for (std::size_t i = 0; i < rows.size(); ++i)
            if (!seen[i])
                added.push_back(std::move(rows[i]));
        if (!added.empty()) {
            const int first = static_cast<int>(m_rows.size());
            beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
            for (auto &row : added)
                m_rows.push_back(std::move(row));
            reindex();
            endInsertRows();
        }
    }

    const Row *rowAt(int row) const
    {
        return row >= 0 && row < static_cast<int>(m_rows.size())
            ? &m_rows[static_cast<std::size_t>(row)]
            : nullptr;
    }
    int rowOf(const QString &key) const { return m_index.value(key, -1); }
    const std::vector<Row> &rows() const { return m_rows; }

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
    }
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override
    {
        const auto *row = index.isValid() ? rowAt(index.row()) : nullptr;
        return row ? cell(*row, index.column(), role) : QVariant();
    }

protected:
    // What `column` of `row` shows in `role`; SortRole gives the value to sort by.
    virtual QVariant cell(const Row &row, int column, int role) const = 0;

private:
    // Whatever a view shows or sorts by, in any role the models fill.
    bool cellDiffers(const Row &before, const Row &after, int column) const
    {
        for (const int role : {int(Qt::DisplayRole), int(Qt::DecorationRole), StatusRole,
                               int(Qt::ToolTipRole), SortRole})
            if (cell(before, column, role) != cell(after, column, role))
                return true;
        return false;
    }

    void reindex()
    {
        m_index.clear();
        for (int i = 0; i < static_cast<int>(m_rows.size()); ++i)
            m_index.insert(m_rows[static_cast<std::size_t>(i)].key(), i);
    }

    std::vector<Row> m_rows;
    QHash<QString, int> m_index;
};

} // namespace meshscope::models
