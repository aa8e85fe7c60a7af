#pragma once

#include <QSortFilterProxyModel>

namespace meshscope::models {

// The tap's rows sorted by a column the user clicked: by models::SortRole (numbers as numbers,
// times as milliseconds), equal values in time order (the older first when ascending), so a
// sort is stable and rows do not jump while requests arrive. Unsorted, the rows keep TapModel's
// order, newest first. Thread: GUI.
class TapSortModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit TapSortModel(QObject *parent = nullptr);

protected:
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;
};

} // namespace meshscope::models
