// The keyboard's way through the graph: the nearest node in an arrow's direction.
#include <cmath>

#include "ui/topology/node_item.h"
#include "ui/topology/topology_scene.h"
#include "ui/topology/topology_view.h"

namespace meshscope::ui {

QString TopologyView::nearestNode(const QString &from, int arrowKey) const
{
    const auto centreOf = [](const NodeItem *node) {
        return node->pos() + QPointF(NodeItem::Width / 2, NodeItem::Height / 2);
    };
    const NodeItem *origin = m_scene->nodeItem(from);
    QString best;
    double bestScore = 1e300;
    for (const auto &key : m_scene->nodeKeys()) {
        const NodeItem *node = m_scene->nodeItem(key);
        if (node == origin)
            continue;
        const QPointF c = centreOf(node);
        double score = c.x() + c.y() * 1e-3; // without a start: the leftmost, then the highest
        if (origin) {
            const QPointF d = c - centreOf(origin);
            const bool horizontal = arrowKey == Qt::Key_Left || arrowKey == Qt::Key_Right;
            const double ahead = arrowKey == Qt::Key_Right ? d.x()
                : arrowKey == Qt::Key_Left                 ? -d.x()
                : arrowKey == Qt::Key_Down                 ? d.y()
                                                           : -d.y();
            if (ahead < 1)
                continue; // not that way
            score = ahead + 2 * std::abs(horizontal ? d.y() : d.x());
        }
        if (score < bestScore || (score == bestScore && key < best)) {
            bestScore = score;
            best = key;
        }
    }
    return best;
}

bool TopologyView::moveSelection(int arrowKey)
{
    const QString next = nearestNode(m_scene->selectedNode(), arrowKey);
    if (next.isEmpty())
        return false;
    m_scene->selectNode(next);
    if (auto *node = m_scene->nodeItem(next))
        ensureVisible(node->sceneBoundingRect(), 40, 40);
    return true;
}

} // namespace meshscope::ui
