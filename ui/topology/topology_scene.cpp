#include "ui/topology/topology_scene.h"

#include <algorithm>
#include <cmath>

#include "ui/topology/layered_layout.h"
#include "ui/topology/node_item.h"
#include "ui/topology/overview_item.h"

namespace meshscope::ui {

TopologyScene::TopologyScene(const models::MeshGraph *graph, QObject *parent)
    : QGraphicsScene(parent)
    , m_graph(graph)
{
    m_animation.setInterval(40);
    connect(&m_animation, &QTimer::timeout, this, &TopologyScene::advanceDots);
    connect(this, &QGraphicsScene::selectionChanged, this, &TopologyScene::onSelectionChanged);
    m_overviewItem = new OverviewItem(&m_nodes, &m_edges, &m_selected);
    m_overviewItem->setVisible(false);
    addItem(m_overviewItem);
}

TopologyScene::~TopologyScene()
{
    // QGraphicsScene's destructor clears the selection after this class is gone: nothing may
    // call back into it then.
    disconnect(this, nullptr, this, nullptr);
    if (m_overview) { // the items are not the scene's to delete now
        qDeleteAll(m_edges);
        qDeleteAll(m_nodes);
    }
}

void TopologyScene::setOverview(bool on)
{
    if (on == m_overview)
        return;
    // Out of the scene, not just hidden: a hidden item still costs every paint its bookkeeping.
    const QString selected = m_selected;
    m_overview = on;
    for (auto *edge : std::as_const(m_edges))
        on ? removeItem(edge) : addItem(edge);
    for (auto *node : std::as_const(m_nodes))
        on ? removeItem(node) : addItem(node);
    m_overviewItem->setVisible(on);
    if (!on && !selected.isEmpty())
        if (auto *node = m_nodes.value(selected))
            node->setSelected(true);
    if (!on && !m_selectedEdge.isEmpty())
        if (auto *edge = m_edges.value(m_selectedEdge))
            edge->setSelected(true);
}

QString TopologyScene::nodeAt(const QPointF &scenePos) const
{
    for (auto *node : std::as_const(m_nodes))
        if (QRectF(node->pos(), QSizeF(NodeItem::Width, NodeItem::Height)).contains(scenePos))
            return node->key();
    return {};
}

void TopologyScene::applyChange(const models::GraphChange &change)
{
    const auto &nodes = m_graph->nodes();
    const auto &edges = m_graph->edges();
    for (const auto &key : change.edgesRemoved)
        if (auto *edge = m_edges.take(key)) {
            edge->source()->removeEdge(edge);
            edge->target()->removeEdge(edge);
            delete edge;
        }
    for (const auto &key : change.edgesRemoved)
        if (m_overview && key == m_selectedEdge)
            m_selectedEdge.clear();
    for (const auto &key : change.nodesRemoved) {
        if (m_overview && key == m_selected)
            m_selected.clear(); // in the scene, its removal tells (selectionChanged)
        delete m_nodes.take(key);
    } // its edges went first: the graph never keeps an edge without both ends
    for (const auto &key : change.nodesAdded) {
        auto *item = new NodeItem(nodes.value(key));
        item->setStale(m_display.stale);
        if (!m_overview)
            addItem(item);
        m_nodes.insert(key, item);
    }
    for (const auto &key : change.nodesChanged)
        if (auto *item = m_nodes.value(key))
            item->setNode(*nodes.constFind(key));
    for (const auto &key : change.edgesAdded) {
        const auto &edge = edges.value(key);
        auto *source = m_nodes.value(edge.source);
        auto *target = m_nodes.value(edge.target);
        if (!source || !target)
            continue;
        auto *item = new EdgeItem(edge, source, target, &m_display);
        source->addEdge(item);
        target->addEdge(item);
        if (!m_overview)
            addItem(item);
        m_edges.insert(key, item);
    }
    for (const auto &key : change.edgesChanged)
        if (auto *item = m_edges.value(key))
            item->setEdge(*edges.constFind(key));
    if (change.structural())
        relayout();
    if (m_overview)
        m_overviewItem->update();
    updateAnimation();
}

void TopologyScene::setLabelsShown(bool shown)
{
    m_display.labels = shown;
    update();
}

void TopologyScene::setDotsShown(bool shown)
{
    m_dotsWanted = shown;
    updateAnimation();
    update();
}

void TopologyScene::setStale(bool stale)
{
    if (stale == m_display.stale)
        return;
    m_display.stale = stale;
    for (auto *node : std::as_const(m_nodes))
        node->setStale(stale);
    updateAnimation();
    update();
}

void TopologyScene::updateAnimation()
{
    m_display.dots = m_dotsWanted && m_edges.size() <= DotsEdgeLimit;
    const bool run = m_display.dots && !m_display.stale && !m_edges.isEmpty();
    if (run && !m_animation.isActive())
        m_animation.start();
    else if (!run)
        m_animation.stop();
}

void TopologyScene::advanceDots()
{
    m_display.phase = std::fmod(m_display.phase + 0.02, 1.0);
    for (auto *edge : std::as_const(m_edges))
        if (edge->animated())
            edge->update();
}

QStringList TopologyScene::find(const QString &text) const
{
    QStringList exact;
    QStringList prefix;
    QStringList contains;
    for (auto it = m_nodes.begin(); it != m_nodes.end(); ++it) {
        const QString &name = it.value()->node().name;
        if (name.compare(text, Qt::CaseInsensitive) == 0
            || it.key().compare(text, Qt::CaseInsensitive) == 0)
            exact.append(it.key());
        else if (name.startsWith(text, Qt::CaseInsensitive))
            prefix.append(it.key());
        else if (it.key().contains(text, Qt::CaseInsensitive))
            contains.append(it.key());
    }
    exact.sort();
    prefix.sort();
    contains.sort();
    return exact + prefix + contains;
}

} // namespace meshscope::ui
