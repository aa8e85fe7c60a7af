#pragma once

#include "models/keyed_table_model.h"
#include "models/mesh_graph.h"

namespace meshscope::models {

struct EdgeRow {
    GraphEdge edge;
    bool inbound = false; // into the selected service (else out of it)
    QString key() const { return edge.key; }
    bool operator==(const EdgeRow &other) const
    {
        return inbound == other.inbound && edge == other.edge;
    }
};

// Who calls the selected service and whom it calls, with the figures and the identities on
// both ends of each edge. Thread: GUI.
class EdgesModel : public KeyedTableModel<EdgeRow> {
    Q_OBJECT
public:
    enum Column { Direction, Peer, Rate, Success, P99, Security, ColumnCount };
    using KeyedTableModel::KeyedTableModel;

    void setService(const MeshGraph &graph, const QString &serviceKey);
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

protected:
    QVariant cell(const EdgeRow &row, int column, int role) const override;
};

} // namespace meshscope::models
