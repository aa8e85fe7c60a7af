#pragma once

#include <QGraphicsItem>
#include <QPainterPath>
#include <QPolygonF>

#include <vector>

#include "models/mesh_graph.h"

namespace meshscope::ui {

class NodeItem;

// What every edge shows, switched from the view.
struct EdgeDisplay {
    bool labels = true; // "1.2 rps · 99.5 %", "p99 12 ms", the versions' shares
    bool dots = true; // moving dots, as many as the request rate asks for
    double phase = 0; // of the dots, advanced by the scene's animation
    bool dense = false; // so many edges on screen that they draw as thin aliased lines
    bool stale = false; // meshd is not answering: every edge greyed, no dots
};

// Observed traffic from one node to another along the route the layout gave it (from the
// caller's right side to the callee's left, around the other cards), coloured by health,
// thicker with more requests, a lock when it is mTLS, dashed and marked when it is not (an
// unknown name), its figures on a label in a gap between cards. Selectable: a click on the line
// or its label. Its figures change in place (setEdge).
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
    // The layout's route (caller's side to callee's side) and its label's place (may be empty).
    void setRoute(const QPolygonF &route, const QRectF &label);
    // Follows its nodes after one was moved by hand: a direct curve.
    void adjust();
    const QPolygonF &route() const { return m_route; }
    QRectF labelRect() const { return m_label; }
    // The label's lines: the rate and success, the p99, the versions' shares when several.
    QStringList labelLines() const;
    QString labelText() const { return labelLines().join(QStringLiteral(" · ")); }
    QString toolTipText() const;
    // Whether it draws moving dots now (traffic, dots switched on, not stale).
    bool animated() const { return m_display->dots && !m_display->stale && m_edge.traffic.rps > 0; }
    bool stale() const { return m_display->stale; }

    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    static constexpr double HitWidth = 12; // of the line, for the pointer

private:
    void setPath(const QPolygonF &route, const QRectF &label);
    // The stretches of the route in `exposed`, then the arrow head.
    void paintRoute(QPainter *painter, const QPen &pen, const QRectF &exposed) const;
    void paintDots(QPainter *painter) const;
    QPointF pointAt(double fraction) const; // along the route, by length
    // The lock (mTLS) or the warning mark, and the figures' label in its place.
    void paintMarkAndLabel(QPainter *painter, double zoom) const;

    models::GraphEdge m_edge;
    NodeItem *m_source;
    NodeItem *m_target;
    const EdgeDisplay *m_display;
    QPolygonF m_route;
    std::vector<double> m_lengths; // from the start to each point of the route
    QRectF m_label;
    QPolygonF m_arrow;
    QRectF m_bounds;
    mutable QPainterPath m_shape; // built when first asked (a hit test), after each move
};

} // namespace meshscope::ui
