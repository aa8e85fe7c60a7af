#pragma once

#include "models/keyed_table_model.h"
#include "rollout/rollout_status.h"

namespace meshscope::models {

struct IntervalRow {
    meshcore::rollout::IntervalRecord interval;
    QString id; // the rollout's key and the interval's index
    QString key() const { return id; }
    bool operator==(const IntervalRow &other) const = default;
};

// One rollout's analysis, interval by interval: the candidate's weight, the verdict (coloured),
// the candidate's and stable's success rate and p99, and what the interval decided (the failing
// check's sentence when one failed). Oldest first; the view sorts. Thread: GUI.
class RolloutIntervalsModel : public KeyedTableModel<IntervalRow> {
    Q_OBJECT
public:
    enum Column {
        Index,
        Weight,
        Verdict,
        CandidateSuccess,
        CandidateP99,
        StableSuccess,
        StableP99,
        Requests,
        Decision,
        ColumnCount
    };
    using KeyedTableModel::KeyedTableModel;

    // The intervals of `status` (null: none).
    void setRollout(const meshcore::rollout::RolloutStatus *status);

    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

protected:
    QVariant cell(const IntervalRow &row, int column, int role) const override;
};

// What an interval decided, in one line: the failing checks' sentences, else meshd's summary.
QString intervalDecision(const meshcore::rollout::IntervalRecord &interval);

} // namespace meshscope::models
