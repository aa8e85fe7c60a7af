#include "ui/table_views.h"

#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QTableView>

#include "models/keyed_table_model.h"
#include "ui/status_delegate.h"

namespace meshscope::ui {

QTableView *sortableTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(model);
    proxy->setSortRole(models::SortRole);
    auto *view = new QTableView(parent);
    view->setModel(proxy);
    view->setSortingEnabled(true);
    view->sortByColumn(-1, Qt::AscendingOrder); // the model's order until the user picks a column
    view->verticalHeader()->hide();
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setStretchLastSection(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->setMinimumHeight(110);
    StatusDelegate::install(view);
    return view;
}

} // namespace meshscope::ui
