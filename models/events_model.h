#pragma once

#include <QAbstractTableModel>

#include <deque>
#include <vector>

#include "admin/api_types.h"

namespace meshscope::models {

// What happened in the mesh, newest first: reloads, rotations, breaker trips, restarts, split
// changes. Grows by rows inserted at the top; the oldest go past `capacity`. Thread: GUI.
class EventsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Kind, Subject, Message, ColumnCount };
    explicit EventsModel(QObject *parent = nullptr, int capacity = 2000);

    void append(const std::vector<meshcore::admin::EventInfo> &events); // oldest first, as meshd sends them
    void clear();
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : ColumnCount; }
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    int m_capacity;
    std::deque<meshcore::admin::EventInfo> m_events; // newest first
};

} // namespace meshscope::models
