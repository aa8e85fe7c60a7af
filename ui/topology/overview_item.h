#pragma once

#include <QGraphicsItem>
#include <QHash>

namespace meshscope::ui {

class EdgeItem;
class NodeItem;

// The whole mesh at a glance, drawn in one pass: when the view is zoomed out so far that no text
// can be read, the scene hides its thousands of node and edge items (each costs the scene
// microseconds of bookkeeping per paint) and this item draws every card as a coloured rectangle
// and every edge as a straight line, batched by colour.
// Thread: GUI.
class OverviewItem : public QGraphicsItem {
public:
    OverviewItem(const QHash<QString, NodeItem *> *nodes, const QHash<QString, EdgeItem *> *edges,
                 const QString *selected);

    void setBounds(const QRectF &bounds);
    QRectF boundingRect() const override { return m_bounds; }
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    const QHash<QString, NodeItem *> *m_nodes;
    const QHash<QString, EdgeItem *> *m_edges;
    const QString *m_selected;
    QRectF m_bounds;
};

} // namespace meshscope::ui
