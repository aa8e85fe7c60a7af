#pragma once

#include "admin/api_types.h"
#include "models/keyed_table_model.h"

namespace meshscope::models {

struct CheckRow {
    meshcore::admin::CheckInfo check;
    QString key() const { return QString::fromStdString(check.name); }
    bool operator==(const CheckRow &other) const;
};

// meshd's health checks (linkerd check's spirit): state, what is wrong and what to do.
// Thread: GUI.
class ChecksModel : public KeyedTableModel<CheckRow> {
    Q_OBJECT
public:
    enum Column { State, Check, Message, Hint, ColumnCount };
    using KeyedTableModel::KeyedTableModel;

    void setReport(const meshcore::admin::ChecksReport *report);
    int failing() const;
    int warning() const;
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : ColumnCount;
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

protected:
    QVariant cell(const CheckRow &row, int column, int role) const override;
};

} // namespace meshscope::models
