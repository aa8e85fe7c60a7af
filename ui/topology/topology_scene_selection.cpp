// The scene's selection: one node or one edge at a time, the newest one winning.
#include "ui/topology/node_item.h"
#include "ui/topology/overview_item.h"
#include "ui/topology/topology_scene.h"
#include "ui/topology/topology_style.h"

namespace meshscope::ui {

void TopologyScene::onSelectionChanged()
{
    if (m_overview || m_settingSelection)
        return; // the items are out of the scene: selectNode() keeps the selection
    QList<NodeItem *> nodes;
    QList<EdgeItem *> edges;
    for (auto *item : selectedItems()) {
        if (auto *node = dynamic_cast<NodeItem *>(item))
            nodes.append(node);
        else if (auto *edge = dynamic_cast<EdgeItem *>(item))
            edges.append(edge);
    }
    if (!nodes.isEmpty() && !edges.isEmpty()) {
        // The one just selected stays: a new edge drops the nodes, a new node the edges.
        EdgeItem *fresh = nullptr;
        for (auto *edge : std::as_const(edges))
            if (edge->key() != m_selectedEdge)
                fresh = edge;
        m_settingSelection = true;
        if (fresh) {
            for (auto *node : std::as_const(nodes))
                node->setSelected(false);
            for (auto *edge : std::as_const(edges))
                edge->setSelected(edge == fresh);
        } else {
            for (auto *edge : std::as_const(edges))
                edge->setSelected(false);
        }
        m_settingSelection = false;
    }
    QString edgeKey;
    for (auto *item : selectedItems())
        if (auto *edge = dynamic_cast<EdgeItem *>(item))
            edgeKey = edge->key();
    const QString nodeKey = selectedNode();
    const bool edgeFirst = edgeKey.isEmpty(); // what was cleared is told first
    if (edgeFirst && edgeKey != m_selectedEdge) {
        m_selectedEdge.clear();
        Q_EMIT edgeSelected(QString());
    }
    if (nodeKey != m_selected) {
        m_selected = nodeKey;
        Q_EMIT nodeSelected(nodeKey);
    }
    if (edgeKey != m_selectedEdge) {
        m_selectedEdge = edgeKey;
        Q_EMIT edgeSelected(edgeKey);
    }
}

bool TopologyScene::wantsOverview(double scale) const
{
    return scale < TopologyStyle::NamesZoom && nodeCount() > 60;
}

QString TopologyScene::selectedNode() const
{
    if (m_overview)
        return m_selected;
    for (auto *item : selectedItems())
        if (auto *node = dynamic_cast<NodeItem *>(item))
            return node->key();
    return {};
}

void TopologyScene::selectNode(const QString &key)
{
    if (!m_nodes.contains(key) || key == m_selected)
        return;
    if (m_overview) {
        if (!m_selectedEdge.isEmpty()) {
            m_selectedEdge.clear();
            Q_EMIT edgeSelected(QString());
        }
        m_selected = key;
        m_overviewItem->update();
        Q_EMIT nodeSelected(key);
        return;
    }
    clearSelection();
    m_nodes.value(key)->setSelected(true);
}

void TopologyScene::clearNodeSelection()
{
    if (m_selected.isEmpty())
        return;
    if (!m_overview)
        return clearSelection();
    m_selected.clear();
    m_overviewItem->update();
    Q_EMIT nodeSelected(QString());
}

void TopologyScene::selectEdge(const QString &key)
{
    if (key == m_selectedEdge || (!key.isEmpty() && !m_edges.contains(key)))
        return;
    if (m_overview) {
        if (!key.isEmpty() && !m_selected.isEmpty()) {
            m_selected.clear();
            Q_EMIT nodeSelected(QString());
        }
        m_selectedEdge = key;
        m_overviewItem->update();
        Q_EMIT edgeSelected(key);
        return;
    }
    if (key.isEmpty()) {
        if (auto *edge = m_edges.value(m_selectedEdge))
            edge->setSelected(false);
        return;
    }
    clearSelection();
    m_edges.value(key)->setSelected(true);
}

} // namespace meshscope::ui
