#include "ui/tap_table.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QTimer>

#include <algorithm>

#include "models/tap_model.h"
#include "models/tap_sort_model.h"
#include "ui/status_delegate.h"

namespace meshscope::ui {

using models::TapModel;

namespace {

// How a column shares the width left by the short ones: its weight and the most it wants.
struct Share {
    double weight = 0; // 0: a short column, as wide as its text
    bool capped = false; // no wider than its usual content
};

Share shareOf(int column)
{
    switch (column) {
    case TapModel::Source:
    case TapModel::Destination:
        return {2, true};
    case TapModel::Route:
        return {1, true};
    case TapModel::Path:
        return {4, false};
    case TapModel::Error:
        return {2, false};
    default:
        return {};
    }
}

} // namespace

TapTable::TapTable(models::TapModel *model, QWidget *parent)
    : QTableView(parent)
    , m_model(model)
    , m_sorted(new models::TapSortModel(this))
    , m_refit(new QTimer(this))
{
    m_sorted->setSourceModel(model);
    setModel(m_sorted);
    setSortingEnabled(true);
    sortByColumn(TapModel::Time, Qt::DescendingOrder);
    verticalHeader()->hide();
    // Compact rows: the font's height and a little air, not the style's default.
    const int rowHeight = fontMetrics().height() + 4;
    verticalHeader()->setMinimumSectionSize(rowHeight);
    verticalHeader()->setDefaultSectionSize(rowHeight);
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    horizontalHeader()->setStretchLastSection(false);
    horizontalHeader()->setMinimumSectionSize(
        fontMetrics().horizontalAdvance(QStringLiteral("mTLS")) + 12);
    const QStringList samples = {QStringLiteral("00:00:00.000"),
                                 QStringLiteral("recommendations-v1-0"),
                                 QStringLiteral("recommendations-v1-0"),
                                 QStringLiteral("OPTIONS"),
                                 QStringLiteral("catalog.shop/items/12"),
                                 QStringLiteral("504"),
                                 QStringLiteral("1234 ms"),
                                 QStringLiteral("mTLS"),
                                 QStringLiteral("checkout-items"),
                                 QStringLiteral("10"),
                                 QStringLiteral("unknown-service")};
    QFont bold = horizontalHeader()->font();
    bold.setBold(true);
    const QFontMetrics headerMetrics(bold);
    for (int c = 0; c < TapModel::ColumnCount; ++c) {
        const QString title = model->headerData(c, Qt::Horizontal, Qt::DisplayRole).toString();
        // The text and the cell's margins; a header's title and its sort arrow.
        m_natural << std::max(fontMetrics().horizontalAdvance(samples[c]) + 10,
                              headerMetrics.horizontalAdvance(title) + 22);
    }
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setWordWrap(false);
    setTextElideMode(Qt::ElideRight);
    setMinimumWidth(160);
    StatusDelegate::install(this);
    connect(selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &TapTable::currentRequestChanged);
    connect(model, &TapModel::filledColumnsChanged, this, &TapTable::showColumns);
    // Longer names arrive: the widths follow, at most once a second.
    m_refit->setSingleShot(true);
    m_refit->setInterval(1000);
    connect(m_refit, &QTimer::timeout, this, &TapTable::fitColumns);
    connect(model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (!m_refit->isActive() && !m_userSized)
            m_refit->start();
    });
    connect(horizontalHeader(), &QHeaderView::sectionResized, this, [this] {
        if (!m_fitting)
            m_userSized = true; // a column the user dragged
    });
    showColumns();
}

const meshcore::telemetry::TapEvent *TapTable::currentEvent() const
{
    const QModelIndex current = m_sorted->mapToSource(currentIndex());
    return current.isValid() ? m_model->eventAt(current.row()) : nullptr;
}

QList<int> TapTable::sourceRows(bool selectedOnly) const
{
    QList<int> shown;
    if (selectedOnly)
        for (const auto &index : selectionModel()->selectedRows())
            shown << index.row();
    if (shown.isEmpty())
        for (int row = 0; row < m_sorted->rowCount(); ++row)
            shown << row;
    std::sort(shown.begin(), shown.end());
    QList<int> rows;
    for (const int row : shown)
        rows << m_sorted->mapToSource(m_sorted->index(row, 0)).row();
    return rows;
}

// A column no row fills takes no room. With no rows yet, the usual ones show.
void TapTable::showColumns()
{
    const bool empty = m_model->rowCount() == 0;
    m_fitting = true; // hiding resizes a section, the user did not
    for (int c = 0; c < TapModel::ColumnCount; ++c) {
        const bool optional = c == TapModel::Retries || c == TapModel::Error;
        setColumnHidden(c, empty ? optional : !m_model->columnFilled(c));
    }
    m_fitting = false;
    fitColumns();
}

void TapTable::resizeEvent(QResizeEvent *event)
{
    QTableView::resizeEvent(event);
    fitColumns();
}

// The short columns at their width; the others share the rest by weight, a capped one giving
// what it does not need to the others.
void TapTable::fitColumns()
{
    if (m_userSized)
        return;
    QList<int> flexible;
    int left = viewport()->width();
    for (int c = 0; c < TapModel::ColumnCount; ++c)
        if (!isColumnHidden(c)) {
            if (shareOf(c).weight > 0)
                flexible << c;
            else
                left -= m_natural[c];
        }
    QList<int> wanted = m_natural; // a capped column wants what its rows need, when there are some
    for (const int c : flexible)
        if (shareOf(c).capped && m_model->rowCount() > 0)
            wanted[c] = std::max(sizeHintForColumn(c), horizontalHeader()->sectionSizeHint(c));
    QList<int> widths(TapModel::ColumnCount, 0);
    for (bool again = true; again && !flexible.isEmpty();) {
        again = false;
        double weights = 0;
        for (const int c : flexible)
            weights += shareOf(c).weight;
        for (const int c : flexible)
            if (shareOf(c).capped && left * shareOf(c).weight / weights > wanted[c]) {
                widths[c] = wanted[c];
                left -= wanted[c];
                flexible.removeOne(c);
                again = true;
                break;
            }
        if (!again)
            for (const int c : flexible)
                widths[c] = static_cast<int>(left * shareOf(c).weight / weights);
    }
    m_fitting = true;
    for (int c = 0; c < TapModel::ColumnCount; ++c)
        if (!isColumnHidden(c))
            setColumnWidth(c, widths[c] > 0 ? widths[c] : m_natural[c]);
    m_fitting = false;
}

} // namespace meshscope::ui
