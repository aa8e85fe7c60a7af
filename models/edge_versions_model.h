#pragma once

#include "admin/api_types.h"
#include "models/keyed_table_model.h"
#include "models/mesh_graph.h"

namespace meshscope::models {

struct EdgeVersionRow {
    meshcore::admin::VersionShare share;
    double weight = 0; // the split's share for this version: its weight over the weights' sum
    bool weighted = false; // whether the callee has a split naming it
    QString key() const { return QString::fromStdString(share.version); }
    bool operator==(const EdgeVersionRow &other) const
    {
        return share == other.share && weight == other.weight && weighted == other.weighted;
    }
};

// The versions one edge's requests went to: the share each got and its figures, next to the
// weight the callee's split gives it. Thread: GUI.
class EdgeVersionsModel : public KeyedTableModel<EdgeVersionRow> {
    Q_OBJECT
public:
    enum Column { Version, Share, Weight, Rate, Success, P99, ColumnCount };
    using KeyedTableModel::KeyedTableModel;

    // `split` is the callee's split (null without one).
    void setEdge(const GraphEdge *edge, const meshcore::admin::SplitInfo *split);
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

protected:
    QVariant cell(const EdgeVersionRow &row, int column, int role) const override;
};

} // namespace meshscope::models
