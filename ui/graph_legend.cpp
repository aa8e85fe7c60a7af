#include "ui/graph_legend.h"

#include <QPainter>

#include <algorithm>
#include <array>

#include "ui/format.h"
#include "ui/topology/topology_style.h"

namespace meshscope::ui {
namespace {

enum class Symbol { Healthy, Warning, Failing, Idle, Lock, Plaintext, Thick, Dots, Unknown };

struct Entry {
    Symbol symbol;
    const char *text;
};

constexpr std::array<Entry, 9> Entries = {{
    {Symbol::Healthy, "healthy (success ≥ %1)"},
    {Symbol::Warning, "warning (below %1)"},
    {Symbol::Failing, "failing (below %1)"},
    {Symbol::Idle, "idle (no requests)"},
    {Symbol::Lock, "mTLS between the proxies"},
    {Symbol::Plaintext, "plaintext (dashed)"},
    {Symbol::Thick, "thicker: more requests/s"},
    {Symbol::Dots, "dots: requests moving"},
    {Symbol::Unknown, "name no service has"},
}};

constexpr int EntryWidth = 200;
constexpr int RowHeight = 20;
constexpr int SymbolWidth = 30;

void paintSymbol(QPainter &p, Symbol symbol, const QRectF &box)
{
    const auto &style = TopologyStyle::current();
    const QPointF mid = box.center();
    const QLineF line(box.left() + 2, mid.y(), box.right() - 2, mid.y());
    const auto pen = [&](models::Health health, int width, bool dashed) {
        p.setPen(style.edgePen(health, width, dashed));
        p.drawLine(line);
    };
    switch (symbol) {
    case Symbol::Healthy:
        return pen(models::Health::Healthy, 1, false);
    case Symbol::Warning:
        return pen(models::Health::Warning, 1, false);
    case Symbol::Failing:
        return pen(models::Health::Failing, 1, false);
    case Symbol::Idle:
        return pen(models::Health::Idle, 1, false);
    case Symbol::Plaintext:
        return pen(models::Health::Healthy, 1, true);
    case Symbol::Thick:
        return pen(models::Health::Healthy, 3, false);
    case Symbol::Dots:
        pen(models::Health::Healthy, 0, false);
        p.setPen(Qt::NoPen);
        p.setBrush(style.dot);
        for (int i = 0; i < 3; ++i)
            p.drawEllipse(QPointF(box.left() + 7 + i * 8, mid.y()), 2.6, 2.6);
        return;
    case Symbol::Lock:
        pen(models::Health::Healthy, 1, false);
        p.setPen(Qt::NoPen);
        p.setBrush(style.lock);
        p.drawRoundedRect(QRectF(mid.x() - 5, mid.y() - 2, 10, 8), 1.5, 1.5);
        p.setPen(QPen(style.lock, 1.6));
        p.setBrush(Qt::NoBrush);
        p.drawArc(QRectF(mid.x() - 3.5, mid.y() - 7, 7, 9), 0, 180 * 16);
        return;
    case Symbol::Unknown:
        p.setPen(Qt::NoPen);
        p.setBrush(style.healthColour(models::Health::Failing));
        p.drawEllipse(mid, 7, 7);
        p.setPen(style.nodeFill);
        p.setFont(style.nameFont);
        p.drawText(QRectF(mid.x() - 7, mid.y() - 7, 14, 14), Qt::AlignCenter, QStringLiteral("!"));
        return;
    }
}

} // namespace

GraphLegend::GraphLegend(QWidget *parent)
    : QWidget(parent)
{
    setAccessibleName(tr("Legend of the topology"));
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void GraphLegend::setThresholds(const models::HealthThresholds &thresholds)
{
    m_thresholds = thresholds;
    update();
}

QString GraphLegend::textOf(std::size_t entry) const
{
    const QString text = tr(Entries[entry].text);
    switch (Entries[entry].symbol) {
    case Symbol::Healthy:
    case Symbol::Warning:
        return text.arg(humanPercent(m_thresholds.warnBelow));
    case Symbol::Failing:
        return text.arg(humanPercent(m_thresholds.failBelow));
    default:
        return text;
    }
}

int GraphLegend::columnsFor(int width) const
{
    return std::max(1, width / EntryWidth);
}

int GraphLegend::heightForWidth(int width) const
{
    const int columns = columnsFor(width);
    const int rows = (static_cast<int>(Entries.size()) + columns - 1) / columns;
    return rows * RowHeight + 4;
}

QSize GraphLegend::sizeHint() const
{
    return {2 * EntryWidth, heightForWidth(2 * EntryWidth)};
}

QSize GraphLegend::minimumSizeHint() const
{
    return {EntryWidth, heightForWidth(EntryWidth)};
}

void GraphLegend::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const int columns = columnsFor(width());
    const int columnWidth = width() / columns;
    for (std::size_t i = 0; i < Entries.size(); ++i) {
        const int column = static_cast<int>(i) % columns;
        const int row = static_cast<int>(i) / columns;
        const QRectF symbol(column * columnWidth, 2 + row * RowHeight, SymbolWidth, RowHeight);
        p.save();
        paintSymbol(p, Entries[i].symbol, symbol);
        p.restore();
        p.setPen(palette().color(QPalette::WindowText));
        const QRect text(column * columnWidth + SymbolWidth + 6, 2 + row * RowHeight,
                         columnWidth - SymbolWidth - 8, RowHeight);
        p.drawText(text, Qt::AlignVCenter | Qt::AlignLeft,
                   fontMetrics().elidedText(textOf(i), Qt::ElideRight, text.width()));
    }
}

} // namespace meshscope::ui
