#pragma once

#include <vector>

#include "admin/api_types.h"
#include "models/recent_rows_model.h"

namespace meshscope::models {

// What happened in the mesh, newest first: reloads, rotations, breaker trips, restarts, split
// changes. Grows by rows inserted at the top; the oldest go past `capacity`. Thread: GUI.
class EventsModel : public RecentRowsModel<meshcore::admin::EventInfo> {
    Q_OBJECT
public:
    enum Column { Time, Kind, Subject, Message, ColumnCount };
    explicit EventsModel(QObject *parent = nullptr, int capacity = 2000);

    void append(const std::vector<meshcore::admin::EventInfo> &events)
    {
        prepend(events);
    } // oldest first, as meshd sends them
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
};

} // namespace meshscope::models
