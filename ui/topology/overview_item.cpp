#include "ui/topology/overview_item.h"

#include <QPainter>

#include <array>
#include <vector>

#include "ui/topology/edge_item.h"
#include "ui/topology/node_item.h"
#include "ui/topology/topology_style.h"

namespace meshscope::ui {

OverviewItem::OverviewItem(const QHash<QString, NodeItem *> *nodes,
                           const QHash<QString, EdgeItem *> *edges, const QString *selected)
    : m_nodes(nodes)
    , m_edges(edges)
    , m_selected(selected)
{
    setZValue(-1);
    setAcceptedMouseButtons(Qt::NoButton);
}

void OverviewItem::setBounds(const QRectF &bounds)
{
    prepareGeometryChange();
    m_bounds = bounds;
}

void OverviewItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const auto &style = TopologyStyle::current();
    painter->setRenderHint(QPainter::Antialiasing, false);
    // Edges: one drawLines per pen (health x width x dashed).
    std::array<std::vector<QLineF>, 4 * 4 * 2> lines;
    for (const auto *edge : *m_edges) {
        const auto &e = edge->edge();
        const int slot
            = (static_cast<int>(e.health) * 4 + TopologyStyle::widthBucket(e.traffic.rps)) * 2
            + (e.mtls ? 0 : 1);
        lines[static_cast<std::size_t>(slot)].emplace_back(edge->source()->outPort(),
                                                           edge->target()->inPort());
    }
    for (std::size_t slot = 0; slot < lines.size(); ++slot) {
        if (lines[slot].empty())
            continue;
        const int health = static_cast<int>(slot / 8);
        const int width = static_cast<int>(slot / 2 % 4);
        // Cosmetic pens (a pixel or two whatever the zoom): the rasterizer's fast path.
        QPen pen(style.healthColour(static_cast<models::Health>(health)), width >= 2 ? 2 : 0);
        pen.setCosmetic(true);
        if (slot % 2 == 1)
            pen.setStyle(Qt::DashLine);
        painter->setPen(pen);
        painter->drawLines(lines[slot].data(), static_cast<int>(lines[slot].size()));
    }
    // Cards: one drawRects per health colour; the selected one stands out.
    std::array<std::vector<QRectF>, 4> cards;
    for (const auto *node : *m_nodes)
        cards[static_cast<std::size_t>(node->node().health)].emplace_back(
            node->pos(), QSizeF(NodeItem::Width, NodeItem::Height));
    const NodeItem *selected = m_nodes->value(*m_selected);
    painter->setPen(Qt::NoPen);
    for (std::size_t health = 0; health < cards.size(); ++health) {
        if (cards[health].empty())
            continue;
        painter->setBrush(style.healthColour(static_cast<models::Health>(health)));
        painter->drawRects(cards[health].data(), static_cast<int>(cards[health].size()));
    }
    if (selected) {
        painter->setBrush(style.nodeFillSelected);
        painter->setPen(QPen(style.text, 10));
        painter->drawRect(QRectF(selected->pos(), QSizeF(NodeItem::Width, NodeItem::Height)));
    }
}

} // namespace meshscope::ui
