#include "models/tap_sort_model.h"

#include "models/item_roles.h"

namespace meshscope::models {

TapSortModel::TapSortModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(SortRole);
    setDynamicSortFilter(true);
}

bool TapSortModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    const auto order = QVariant::compare(a, b);
    if (order != QPartialOrdering::Equivalent && order != QPartialOrdering::Unordered)
        return order == QPartialOrdering::Less;
    return left.row() > right.row(); // TapModel's rows are newest first: a lower row is newer
}

} // namespace meshscope::models
