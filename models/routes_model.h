#pragma once

#include "admin/api_types.h"
#include "models/keyed_table_model.h"

namespace meshscope::models {

struct RouteRow {
    meshcore::admin::RouteFigures route;
    QString key() const { return QString::fromStdString(route.name); }
    bool operator==(const RouteRow &other) const;
};

// The routes of the selected service: rate, success, p50/p95/p99, its timeout and retry limit,
// the retries and timeouts so far. Thread: GUI.
class RoutesModel : public KeyedTableModel<RouteRow> {
    Q_OBJECT
public:
    enum Column { Name, Rate, Success, P50, P95, P99, Timeout, Retries, Timeouts, ColumnCount };
    using KeyedTableModel::KeyedTableModel;

    void setRoutes(const meshcore::admin::ServiceRoutes *routes);
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

protected:
    QVariant cell(const RouteRow &row, int column, int role) const override;
};

} // namespace meshscope::models
