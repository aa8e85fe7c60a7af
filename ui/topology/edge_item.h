#pragma once

#include <QGraphicsItem>
#include <QPainterPath>

#include <array>

#include "models/mesh_graph.h"

namespace meshscope::ui {

class NodeItem;

// What every edge shows, switched from the view.
struct EdgeDisplay {
    bool labels = true; // "1.2 rps · 99.5 % · p99 12 ms"
    bool dots = true; // moving dots, as many as the request rate asks for
    double phase = 0; // of the dots, advanced by the scene's animation
    bool dense = false; // so many edges on screen that they draw as thin aliased lines
};

// Observed traffic from one node to another: a curve from the caller's right side to the
// callee's left, coloured by health, thicker with more requests, a lock when it is mTLS, dashed
// and marked when it is not (an unknown name). Its figures change in place (setEdge).
// Thread: GUI.
class EdgeItem : public QGraphicsItem {
public:
    EdgeItem(const models::GraphEdge &edge, NodeItem *source, NodeItem *target,
             const EdgeDisplay *display);

    const QString &key() const { return m_edge.key; }
    const models::GraphEdge &edge() const { return m_edge; }
    NodeItem *source() const { return m_source; }
    NodeItem *target() const { return m_target; }
    void setEdge(const models::GraphEdge &edge);
    // Follows its nodes after they moved.
    void adjust();
    QString labelText() const;
    QString toolTipText() const;
    // Whether it draws moving dots now (traffic, and dots switched on).
    bool animated() const { return m_display->dots && m_edge.traffic.rps > 0; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    // The stretches of the curve in `exposed`, then the arrow head.
    void paintCurve(QPainter *painter, const QPen &pen, const QRectF &exposed) const;
    void paintDots(QPainter *painter) const;
    // The lock (mTLS) or the warning mark, and the figures' label, near the middle.
    void paintMarkAndLabel(QPainter *painter) const;

    models::GraphEdge m_edge;
    NodeItem *m_source;
    NodeItem *m_target;
    const EdgeDisplay *m_display;
    QPainterPath m_path;
    std::array<QPointF, 33>
        m_samples {}; // along the curve: it is drawn as this polyline, and dots ride it
    QPointF m_middle;
    QPointF m_from;
    QPointF m_to;
    QPolygonF m_arrow;
    QRectF m_bounds;
};

} // namespace meshscope::ui
