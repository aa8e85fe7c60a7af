#pragma once

#include <vector>

#include "models/keyed_table_model.h"
#include "rollout/rollout_status.h"

namespace meshscope::models {

struct RolloutRow {
    meshcore::rollout::RolloutStatus status;
    QString id; // models::rolloutKey
    bool current = false; // its service's active or latest rollout: the one meshd acts on
    QString key() const { return id; }
    bool operator==(const RolloutRow &other) const = default;
};

// Every rollout meshd keeps, active ones first, then the finished ones (the history, the last 10
// per service), newest first, as GET /api/v1/rollouts lists them. Thread: GUI.
class RolloutsModel : public KeyedTableModel<RolloutRow> {
    Q_OBJECT
public:
    enum Column { Service, Strategy, Versions, State, Weight, Started, Took, Reason, ColumnCount };
    using KeyedTableModel::KeyedTableModel;

    // `rollouts` as meshd lists them (null: none).
    void setRollouts(const std::vector<meshcore::rollout::RolloutStatus> *rollouts);
    const RolloutRow *find(const QString &id) const { return rowAt(rowOf(id)); }
    // The service's current rollout ("" when it never had one).
    QString currentOf(const QString &service) const;
    // The first active rollout ("" when none runs).
    QString firstActive() const;

    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

protected:
    QVariant cell(const RolloutRow &row, int column, int role) const override;
};

} // namespace meshscope::models
