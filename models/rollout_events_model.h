#pragma once

#include "models/keyed_table_model.h"
#include "rollout/rollout_status.h"

namespace meshscope::models {

struct TransitionRow {
    meshcore::rollout::Transition transition;
    QString id;
    int order = 0; // its place in the rollout's list: events of one second keep their order
    QString key() const { return id; }
    bool operator==(const TransitionRow &other) const = default;
};

// One rollout's events: every change of state or weight, with meshd's sentence. Oldest first;
// the view sorts newest first. Thread: GUI.
class RolloutEventsModel : public KeyedTableModel<TransitionRow> {
    Q_OBJECT
public:
    enum Column { Time, State, Weight, Message, ColumnCount };
    using KeyedTableModel::KeyedTableModel;

    void setRollout(const meshcore::rollout::RolloutStatus *status);

    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

protected:
    QVariant cell(const TransitionRow &row, int column, int role) const override;
};

} // namespace meshscope::models
