#include "ui/table_views.h"

#include <algorithm>

#include <QHeaderView>
#include <QMenu>
#include <QScrollBar>
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
    // Compact rows: the text's height and a little air, not the style's roomy default.
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
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

void fitHeightToRows(QTableView *view, int maxRows)
{
    const auto fit = [view, maxRows] {
        const int rows = std::clamp(view->model()->rowCount(), 1, maxRows);
        const int rowHeight = view->verticalHeader()->defaultSectionSize();
        // Room for the sideways scroll bar when the columns are wider than the table (asked of
        // the header: the bar itself shows only after the next layout).
        const int scrollBar = view->horizontalHeader()->length() > view->viewport()->width()
            ? view->horizontalScrollBar()->sizeHint().height()
            : 0;
        view->setFixedHeight(view->horizontalHeader()->sizeHint().height() + rows * rowHeight
                             + 2 * view->frameWidth() + scrollBar);
    };
    view->setMinimumHeight(0);
    view->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    auto *model = view->model();
    QObject::connect(model, &QAbstractItemModel::rowsInserted, view, fit);
    QObject::connect(model, &QAbstractItemModel::rowsRemoved, view, fit);
    QObject::connect(model, &QAbstractItemModel::modelReset, view, fit);
    QObject::connect(model, &QAbstractItemModel::layoutChanged, view, fit);
    QObject::connect(view->horizontalScrollBar(), &QScrollBar::rangeChanged, view, fit);
    QObject::connect(view->horizontalHeader(), &QHeaderView::sectionResized, view, fit);
    QObject::connect(view->horizontalHeader(), &QHeaderView::geometriesChanged, view, fit);
    fit();
}

void chooseColumns(QTableView *view, const QList<int> &hidden)
{
    auto *header = view->horizontalHeader();
    for (const int column : hidden)
        header->setSectionHidden(column, true);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    header->setToolTip(QObject::tr("Right-click to choose the columns"));
    QObject::connect(header, &QWidget::customContextMenuRequested, view, [view, header](QPoint at) {
        QMenu menu(view);
        auto *model = view->model();
        for (int column = 0; column < model->columnCount(); ++column) {
            const QString title = model->headerData(column, Qt::Horizontal).toString();
            QAction *action = menu.addAction(title.isEmpty() ? QObject::tr("(direction)") : title);
            action->setCheckable(true);
            action->setChecked(!header->isSectionHidden(column));
            QObject::connect(action, &QAction::toggled, view, [header, column](bool shown) {
                header->setSectionHidden(column, !shown);
            });
        }
        menu.exec(header->mapToGlobal(at));
    });
}

} // namespace meshscope::ui
