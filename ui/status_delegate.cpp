#include "ui/status_delegate.h"

#include <QAbstractItemView>
#include <QStyle>

#include "models/item_roles.h"
#include "ui/colour_scheme.h"

namespace meshscope::ui {

void StatusDelegate::install(QAbstractItemView *view)
{
    view->setItemDelegate(new StatusDelegate(view));
}

void StatusDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QVariant status = index.data(models::StatusRole);
    // A disabled view (old figures, meshd not answering) is grey all over: no live colours.
    if (status.isValid() && (option->state & QStyle::State_Enabled))
        option->palette.setBrush(QPalette::Text,
                                 colours::health(static_cast<models::Health>(status.toInt())));
}

} // namespace meshscope::ui
