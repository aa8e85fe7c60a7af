// The scene's layout pass: the layered layout of every node, the edges' routes and labels'
// places (as much room for the labels as the window leaves once the names read), the
// namespaces' boxes; and the boxes' drawing.
#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

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

std::size_t roomIndex(TopologyScene::LabelRoom room)
{
    return static_cast<std::size_t>(room);
}

// What a layout covers in the scene (cards, routes, boxes, and `also`: the cards the user
// placed), with the scene's margins: what the view will fit.
QSizeF extentOf(const LayeredLayout::Result &layout, const QRectF &also)
{
    QRectF bounds = also;
    for (const auto &position : layout.positions)
        bounds |= QRectF(position, QSizeF(NodeItem::Width, NodeItem::Height));
    for (const auto &route : layout.routes)
        bounds |= route.boundingRect();
    for (const auto &box : layout.groupBoxes)
        bounds |= box.rect;
    return bounds.size() + 2 * QSizeF(TopologyScene::SceneMargin, TopologyScene::SceneMargin);
}

} // namespace

bool TopologyScene::setCanvas(const QSizeF &pixels)
{
    if (pixels.width() < 50 || pixels.height() < 50)
        return false; // not laid out on screen yet
    m_canvas = pixels;
    const double shape = pixels.width() / pixels.height();
    const bool reshaped = std::abs(std::log(shape / m_aspect)) >= std::log(1.25);
    if (reshaped)
        m_aspect = shape;
    if (m_nodes.isEmpty())
        return false;
    return reshaped
        || chooseRoom([this](LabelRoom room) { return m_roomSizes[roomIndex(room)]; })
        != m_labelRoom;
}

double TopologyScene::fittedScale(const QSizeF &sceneSize, const QSizeF &canvas)
{
    // QGraphicsView::fitInView keeps 2 pixels free on each side.
    const double scale = std::min((canvas.width() - 4) / std::max(sceneSize.width(), 1.0),
                                  (canvas.height() - 4) / std::max(sceneSize.height(), 1.0));
    return std::min(scale, MaxFitScale);
}

double TopologyScene::readableZoom() const
{
    double zoom = 0;
    for (const auto *node : m_nodes)
        zoom = std::max(zoom, node->readableFrom());
    return zoom;
}

std::optional<TopologyScene::LabelRoom>
TopologyScene::chooseRoom(const std::function<std::optional<QSizeF>(LabelRoom)> &sizeOf)
{
    if (m_canvas.isEmpty())
        return LabelRoom::Full;
    const auto full = sizeOf(LabelRoom::Full);
    if (!full)
        return std::nullopt;
    // So far from reading that no room would show a name (a large mesh, seen whole): the
    // labels keep theirs, for when one zooms in; and the cards are not even measured.
    if (fittedScale(*full, m_canvas) * HopelessBelow < TopologyStyle::NamesZoom)
        return LabelRoom::Full;
    m_wantedZoom = readableZoom();
    for (const auto room : {LabelRoom::Full, LabelRoom::OneLine, LabelRoom::None}) {
        const auto size = sizeOf(room);
        if (!size)
            return std::nullopt;
        if (fittedScale(*size, m_canvas) >= m_wantedZoom)
            return room;
    }
    return LabelRoom::Full; // no room reads whole: the labels stay, for when one zooms in
}

LayeredLayout::Input TopologyScene::layoutInput(const QStringList &keys,
                                                const QStringList &edgeKeys, LabelRoom room) const
{
    QHash<QString, int> index;
    for (int i = 0; i < keys.size(); ++i)
        index.insert(keys[i], i);
    const QStringList namespaces = namespacesOf(m_nodes);
    LayeredLayout::Input input;
    input.nodeCount = static_cast<int>(keys.size());
    input.nodeSize = QSizeF(NodeItem::Width, NodeItem::Height);
    input.aspect = m_aspect;
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
    }
    setLabelRoom(input, room, edgeKeys);
    return input;
}

// Room for the labels' lines at the size they have on screen at a fitted zoom (about 0.55):
// all of them, with a line more per version of a callee that has several; the rate only (with
// the lock); or none at all.
void TopologyScene::setLabelRoom(LayeredLayout::Input &input, LabelRoom room,
                                 const QStringList &edgeKeys) const
{
    QFont font = TopologyStyle::current().labelFont;
    // One line is only chosen when the view is fitted at least at the zoom the names need: its
    // text is no larger in the scene than there.
    const int oneLine
        = static_cast<int>(std::ceil(TopologyStyle::MinLabelPixels / std::max(m_wantedZoom, 0.3)));
    font.setPixelSize(std::max(font.pixelSize(), room == LabelRoom::OneLine ? oneLine : 18));
    const QFontMetricsF label(font);
    switch (room) {
    case LabelRoom::None:
        input.gap.setWidth(40);
        input.labelSize = QSizeF(0, 0);
        return;
    case LabelRoom::OneLine:
        input.gap.setWidth(16);
        input.labelSize
            = QSizeF(label.horizontalAdvance(QStringLiteral("99.9 rps")) + 30, label.height() + 6);
        return;
    case LabelRoom::Full:
        break;
    }
    input.labelSize
        = QSizeF(std::max(112.0, label.horizontalAdvance(QStringLiteral("99.50 % ok")) + 30),
                 3 * label.height() + 6);
    for (const auto &key : edgeKeys) {
        const auto versions
            = static_cast<double>(m_edges.value(key)->target()->node().versions.size());
        input.labelSizes.push_back(
            QSizeF(input.labelSize.width(),
                   input.labelSize.height() + (versions > 1 ? versions * label.height() : 0)));
    }
}

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
    QRectF placed; // the cards the user moved stay where they are, in the picture too
    if (!all)
        for (const auto *node : std::as_const(m_nodes))
            if (node->pinned())
                placed |= QRectF(node->pos(), QSizeF(NodeItem::Width, NodeItem::Height));
    std::array<std::optional<LayeredLayout::Result>, 3> layouts;
    m_roomSizes = {};
    const auto sizeOf = [&](LabelRoom room) -> std::optional<QSizeF> {
        const auto i = roomIndex(room);
        if (!layouts[i]) {
            layouts[i] = LayeredLayout::compute(layoutInput(keys, edgeKeys, room));
            m_roomSizes[i] = extentOf(*layouts[i], placed);
        }
        return m_roomSizes[i];
    };
    m_labelRoom = chooseRoom(sizeOf).value_or(LabelRoom::Full);
    sizeOf(m_labelRoom);
    place(keys, edgeKeys, *layouts[roomIndex(m_labelRoom)], all);
}

// The nodes where the layout put them (but those the user placed, unless `all`), the edges
// along its routes, the namespaces' boxes; then the scene's rectangle around all of it.
void TopologyScene::place(const QStringList &keys, const QStringList &edgeKeys,
                          const LayeredLayout::Result &layout, bool all)
{
    const QStringList namespaces = namespacesOf(m_nodes);
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
    setSceneRect(bounds.adjusted(-SceneMargin, -SceneMargin, SceneMargin, SceneMargin));
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
