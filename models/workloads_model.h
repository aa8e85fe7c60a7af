#pragma once

#include "admin/api_types.h"
#include "models/keyed_table_model.h"

namespace meshscope::models {

struct WorkloadRow {
    meshcore::admin::WorkloadStatus workload;
    QString key() const { return QString::fromStdString(workload.pod); }
    bool operator==(const WorkloadRow &other) const;
};

// The replicas of the selected service: process state, balancer state, restarts, memory and CPU
// with the memory trend (the "phantom resource leak" shows here). Thread: GUI.
class WorkloadsModel : public KeyedTableModel<WorkloadRow> {
    Q_OBJECT
public:
    enum Column { Pod, Version, Process, Balancer, Restarts, Memory, Trend, Cpu, ColumnCount };
    using KeyedTableModel::KeyedTableModel;

    // The workloads of `serviceKey` ("name.ns") among `all`.
    void setWorkloads(const std::vector<meshcore::admin::WorkloadStatus> *all,
                      const QString &serviceKey);
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

protected:
    QVariant cell(const WorkloadRow &row, int column, int role) const override;
};

} // namespace meshscope::models
