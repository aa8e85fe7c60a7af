#pragma once

#include <QGraphicsItem>

class QFontMetricsF;

#include <vector>

#include "models/mesh_graph.h"

namespace meshscope::ui {

class EdgeItem;

// A service (with its versions), a local client or an unknown name, as a card in the topology.
// Its figures change in place (setNode); dragging it drags its edges along (each as a direct
// curve: the routes around the cards are the layout's).
// Thread: GUI.
class NodeItem : public QGraphicsItem {
public:
    static constexpr double Width = 170;
    static constexpr double Height = 56;
    static constexpr double BadgeHeight = 16; // a rollout's pill, across the bottom edge
    static constexpr double TextWidth = Width - 24; // of the name and the line below it

    explicit NodeItem(const models::GraphNode &node);

    const QString &key() const { return m_node.key; }
    const models::GraphNode &node() const { return m_node; }
    // New figures or health: repaints only when what it shows changed.
    void setNode(const models::GraphNode &node);
    void addEdge(EdgeItem *edge) { m_edges.push_back(edge); }
    void removeEdge(EdgeItem *edge);
    // While false, moving it leaves its edges alone (a layout moves everything, then adjusts once).
    static void setEdgesFollow(bool follow);
    // Whether the user moved it: a new layout leaves it where it was put.
    bool pinned() const { return m_pinned; }
    void setPinned(bool pinned) { m_pinned = pinned; }
    // Anchors for edges: the middle of its left and right sides, in scene coordinates.
    QPointF inPort() const { return pos() + QPointF(0, Height / 2); }
    QPointF outPort() const { return pos() + QPointF(Width, Height / 2); }

    // Built when asked (the view shows it on hover), not on every refresh.
    QString toolTipText() const;
    // The second line of the card: the versions with their shares (the split configured, else
    // the shares observed), or the namespace and the one version.
    QString detailText() const;
    // The least zoom at which its card reads whole: the name (and, for several versions, their
    // shares) at its readable size on screen, narrowed by a quarter at most (drawFitted). Below
    // it, what does not fit is cut short; at NamesZoom it would still show the name's start. 0
    // when a name too long for a card is cut short at any zoom (no zoom would help).
    double readableFrom() const;
    // The shares of its versions in the requests its callers sent (per mille), from its edges.
    QList<models::VersionWeight> observedShares() const;
    // meshd is not answering: drawn greyed.
    void setStale(bool stale);
    bool stale() const { return m_stale; }

    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant &value) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;

private:
    static void drawFitted(QPainter *painter, const QFontMetricsF &metrics, const QRectF &rect,
                           const QString &text);
    void paintBadge(QPainter *painter) const;
    // The name, at a readable size on screen whatever the zoom, then the detail if it fits.
    void paintText(QPainter *painter, double zoom) const;

    models::GraphNode m_node;
    std::vector<EdgeItem *> m_edges;
    bool m_pinned = false;
    bool m_stale = false;
};

} // namespace meshscope::ui
