// The scene's layout pass: the layered layout of every node, the edges' routes and labels'
// places, the namespaces' boxes; and the boxes' drawing.
#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>

#include "ui/topology/layered_layout.h"
#include "ui/topology/node_item.h"
#include "ui/topology/overview_item.h"
#include "ui/topology/topology_scene.h"
#include "ui/topology/topology_style.h"

namespace meshscope::ui {
namespace {

constexpr double BoxRadius = 10;

// The namespaces of the services, sorted, when there are several (else none: no boxes).
QStringList namespacesOf(const QHash<QString, NodeItem *> &nodes)
{
    QStringList namespaces;
    for (const auto *node : nodes)
        if (node->node().kind == models::GraphNode::Kind::Service
            && !namespaces.contains(node->node().ns))
            namespaces.append(node->node().ns);
    namespaces.sort();
    return namespaces.size() > 1 ? namespaces : QStringList();
}

} // namespace

void TopologyScene::relayout(bool all)
{
    // Clients first, then by key: the same graph always gets the same picture.
    QStringList clients;
    QStringList keys;
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it)
        (it.value()->node().kind == models::GraphNode::Kind::Client ? clients : keys)
            .append(it.key());
    clients.sort();
    keys.sort();
    keys = clients + keys;
    QStringList edgeKeys = m_edges.keys();
    edgeKeys.sort();
    QHash<QString, int> index;
    for (int i = 0; i < keys.size(); ++i)
        index.insert(keys[i], i);
    const QStringList namespaces = namespacesOf(m_nodes);
    LayeredLayout::Input input;
    input.nodeCount = static_cast<int>(keys.size());
    input.nodeSize = QSizeF(NodeItem::Width, NodeItem::Height);
    input.aspect = m_aspect;
    // Room for the label's lines at the size they have on screen at a fitted zoom (about 0.55).
    QFont font = TopologyStyle::current().labelFont;
    font.setPixelSize(std::max(font.pixelSize(), 18));
    const QFontMetricsF label(font);
    input.labelSize
        = QSizeF(std::max(112.0, label.horizontalAdvance(QStringLiteral("99.50 % ok")) + 30),
                 3 * label.height() + 6);
    for (const auto &key : keys) {
        const auto &node = m_nodes.value(key)->node();
        input.groups.push_back(namespaces.isEmpty() || node.kind != models::GraphNode::Kind::Service
                                   ? -1
                                   : static_cast<int>(namespaces.indexOf(node.ns)));
    }
    if (namespaces.isEmpty())
        input.groups.clear();
    input.edges.reserve(static_cast<std::size_t>(edgeKeys.size()));
    for (const auto &key : edgeKeys) {
        const auto *edge = m_edges.value(key);
        input.edges.emplace_back(index.value(edge->source()->key()),
                                 index.value(edge->target()->key()));
        // A line more per version of the callee, when it has several.
        const auto versions = static_cast<double>(edge->target()->node().versions.size());
        input.labelSizes.push_back(
            QSizeF(input.labelSize.width(),
                   input.labelSize.height() + (versions > 1 ? versions * label.height() : 0)));
    }
    const auto layout = LayeredLayout::compute(input);
    NodeItem::setEdgesFollow(false); // each edge follows once, after every node moved
    for (int i = 0; i < keys.size(); ++i) {
        auto *node = m_nodes.value(keys[i]);
        if (all)
            node->setPinned(false);
        if (!node->pinned())
            node->setPos(layout.positions[static_cast<std::size_t>(i)]);
    }
    NodeItem::setEdgesFollow(true);
    QRectF bounds;
    for (qsizetype i = 0; i < edgeKeys.size(); ++i) {
        auto *edge = m_edges.value(edgeKeys[i]);
        if (edge->source()->pinned() || edge->target()->pinned())
            edge->adjust(); // one end is where the user put it, not where the layout did
        else
            edge->setRoute(layout.routes[static_cast<std::size_t>(i)],
                           layout.labels[static_cast<std::size_t>(i)]);
        bounds |= edge->route().boundingRect();
    }
    m_boxes.clear();
    for (const auto &box : layout.groupBoxes) {
        m_boxes.push_back({namespaces.value(box.group), box.rect});
        bounds |= box.rect;
    }
    for (auto *node : std::as_const(m_nodes))
        bounds |= QRectF(node->pos(), QSizeF(NodeItem::Width, NodeItem::Height));
    m_overviewItem->setBounds(bounds.adjusted(-20, -20, 20, 20));
    setSceneRect(bounds.adjusted(-30, -30, 30, 30));
    update();
    Q_EMIT laidOut();
}

void TopologyScene::drawBackground(QPainter *painter, const QRectF &rect)
{
    QGraphicsScene::drawBackground(painter, rect);
    if (m_boxes.empty())
        return;
    const auto &style = TopologyStyle::current();
    const double zoom = painter->worldTransform().m11();
    painter->setPen(Qt::NoPen);
    painter->setBrush(style.groupFill);
    if (zoom < TopologyStyle::NamesZoom) { // the whole mesh: plain boxes, one call
        std::vector<QRectF> boxes;
        for (const auto &box : m_boxes)
            if (box.rect.intersects(rect))
                boxes.push_back(box.rect);
        painter->setRenderHint(QPainter::Antialiasing, false);
        painter->drawRects(boxes.data(), static_cast<int>(boxes.size()));
        painter->setRenderHint(QPainter::Antialiasing, true);
        return;
    }
    for (const auto &box : m_boxes)
        if (box.rect.intersects(rect))
            painter->drawRoundedRect(box.rect, BoxRadius, BoxRadius);
    QFont font = style.smallFont;
    font.setPixelSize(
        std::max(font.pixelSize(), static_cast<int>(TopologyStyle::MinDetailPixels / zoom)));
    painter->setFont(font);
    painter->setPen(style.groupText);
    const QFontMetricsF metrics(font);
    for (const auto &box : m_boxes)
        if (box.rect.intersects(rect)) {
            const QRectF title(box.rect.left() + 8, box.rect.top() + 2, box.rect.width() - 16,
                               metrics.height());
            painter->drawText(title, Qt::AlignLeft | Qt::AlignTop,
                              metrics.elidedText(box.ns, Qt::ElideRight, title.width()));
        }
}

} // namespace meshscope::ui
