#pragma once

class QAbstractItemModel;
class QTableView;
class QWidget;

namespace meshscope::ui {

// A read-only table over `model`: sortable by the model's SortRole through a proxy, whole rows
// selected, columns fitted to their contents, no row numbers, status cells coloured. The tables of
// the app look alike.
QTableView *sortableTable(QAbstractItemModel *model, QWidget *parent);

} // namespace meshscope::ui
