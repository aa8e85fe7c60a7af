#pragma once

#include <QStyledItemDelegate>

class QAbstractItemView;

namespace meshscope::ui {

// Draws a cell's text in the colour of its status (models::StatusRole), from ui/colour_scheme.h,
// so tables and trees follow the palette (light or dark) while the models only say what is wrong.
// Thread: GUI.
class StatusDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    // Installs a StatusDelegate on `view` (owned by it).
    static void install(QAbstractItemView *view);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace meshscope::ui
