#pragma once

#include "models/keyed_table_model.h"
#include "models/mesh_graph.h"

namespace meshscope::models {

// One service of the mesh as the overview lists it: its golden figures, whether its callers reach
// it over mTLS, and the checks that fail or warn about it.
struct ServiceRow {
    GraphNode node;
    int callers = 0; // edges into it with traffic
    int plaintextCallers = 0; // of those, the ones not over mTLS
    QString key() const { return node.key; }
    bool operator==(const ServiceRow &other) const
    {
        return callers == other.callers && plaintextCallers == other.plaintextCallers
            && node == other.node;
    }
};

// Every service of the mesh in one sortable table, like the front page of Linkerd's dashboard:
// what `linkerd viz stat deploy` shows, plus the mesh's own checks. Local clients and unknown
// names are left out (they are callers, not services). Thread: GUI.
class ServicesModel : public KeyedTableModel<ServiceRow> {
    Q_OBJECT
public:
    enum Column { Name, Namespace, Health, Rate, Success, P99, Security, Checks, ColumnCount };
    using KeyedTableModel::KeyedTableModel;

    void setGraph(const MeshGraph &graph);
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

protected:
    QVariant cell(const ServiceRow &row, int column, int role) const override;
};

} // namespace meshscope::models
