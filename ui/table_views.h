#pragma once

#include <QList>

class QAbstractItemModel;
class QTableView;
class QWidget;

namespace meshscope::ui {

// A read-only table over `model`: sortable by the model's SortRole through a proxy, whole rows
// selected, columns fitted to their contents, no row numbers, status cells coloured. The tables of
// the app look alike.
QTableView *sortableTable(QAbstractItemModel *model, QWidget *parent);

// For a table in a panel that scrolls as a whole: as tall as its rows (at least one, at most
// `maxRows`, then it scrolls itself), following them as they come and go, so no half-empty box
// and no table cut off below.
void fitHeightToRows(QTableView *view, int maxRows = 10);

// Hides `columns` to start with; a right click on the header shows or hides any column, so a
// narrow panel shows the figures that matter and a wide one can show them all.
void chooseColumns(QTableView *view, const QList<int> &hidden);

} // namespace meshscope::ui
