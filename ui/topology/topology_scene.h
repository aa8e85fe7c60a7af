#pragma once

#include <QGraphicsScene>
#include <QHash>
#include <QTimer>

#include <array>
#include <functional>
#include <optional>
#include <vector>

#include "models/mesh_graph.h"
#include "ui/topology/edge_item.h"
#include "ui/topology/layered_layout.h"

namespace meshscope::ui {

class NodeItem;
class OverviewItem;

// The topology as graphics items, kept in step with a MeshGraph: items are created for new
// nodes and edges, removed for gone ones, and updated in place for the rest. The layered layout
// runs when the graph's structure changes, never for a change of figures, and leaves nodes the
// user dragged where they are; it routes every edge around the cards and, when the mesh has
// several namespaces, draws a box behind each namespace's cards (per column). One node or one
// edge is selected at a time.
// Thread: GUI.
class TopologyScene : public QGraphicsScene {
    Q_OBJECT
public:
    explicit TopologyScene(const models::MeshGraph *graph, QObject *parent = nullptr);
    ~TopologyScene() override;

    void applyChange(const models::GraphChange &change);
    // Lays everything out again; `all` also moves the nodes the user placed.
    void relayout(bool all = false);
    // How much room the layout gives the edges' labels between the columns. The most that
    // still lets every card read whole (NodeItem::readableFrom) in the fitted view: at a small
    // window the labels give way before the names do, first to one line (the rate), then to
    // none (the tooltip and the edge panel still tell).
    enum class LabelRoom { Full, OneLine, None };
    // The view's viewport (pixels): the layout aims for its shape and chooses the labels' room
    // for its size; (0, 0), the default, is a 16:9 picture with full labels. Returns whether
    // the layout in place no longer suits it (the caller relays out).
    bool setCanvas(const QSizeF &pixels);
    double aspect() const { return m_aspect; }
    LabelRoom labelRoom() const { return m_labelRoom; }
    // The zoom at which every card reads whole: the most any needs (NodeItem::readableFrom).
    double readableZoom() const;
    // The zoom at which a view of `canvas` pixels shows the whole of `sceneSize`, as
    // TopologyView::fitAll does: a small mesh up to MaxFitScale.
    static double fittedScale(const QSizeF &sceneSize, const QSizeF &canvas);
    static constexpr double MaxFitScale = 1.6;
    static constexpr double SceneMargin = 30; // around the items, in the scene's rectangle

    void setLabelsShown(bool shown);
    void setDotsShown(bool shown);
    void setDense(bool dense) { m_display.dense = dense; }
    const EdgeDisplay &display() const { return m_display; }

    NodeItem *nodeItem(const QString &key) const { return m_nodes.value(key); }
    EdgeItem *edgeItem(const QString &key) const { return m_edges.value(key); }
    int nodeCount() const { return static_cast<int>(m_nodes.size()); }
    int edgeCount() const { return static_cast<int>(m_edges.size()); }
    // The keys of nodes whose name contains `text` (case-insensitive), best match first.
    QStringList find(const QString &text) const;
    QStringList nodeKeys() const { return m_nodes.keys(); }
    QString selectedNode() const;
    void selectNode(const QString &key);
    // No node selected (also in the overview, which has no items to deselect).
    void clearNodeSelection();
    // The selected edge's key ("caller>callee", GraphEdge::key), or "".
    QString selectedEdge() const { return m_selectedEdge; }
    // Selects the edge (and no node); "" clears an edge's selection.
    void selectEdge(const QString &key);

    // meshd is not answering: every card and edge greyed, the dots stopped, until
    // setStale(false).
    void setStale(bool stale);
    bool stale() const { return m_display.stale; }
    bool dotsRunning() const { return m_animation.isActive(); }

    // A namespace's box behind its cards in one column (only when there are several).
    struct NamespaceBox {
        QString ns;
        QRectF rect;
    };
    const std::vector<NamespaceBox> &namespaceBoxes() const { return m_boxes; }

    // The whole-mesh drawing (OverviewItem) instead of the items, for views zoomed out past
    // reading: the view switches it with its scale.
    void setOverview(bool on);
    bool overview() const { return m_overview; }
    // Whether a view at `scale` should show the overview.
    // Only where the cards would be too small for their names (and there are many).
    bool wantsOverview(double scale) const;
    // The node whose card is at `scenePos`, or "" (the overview has no items to click).
    QString nodeAt(const QPointF &scenePos) const;

    // Where the dots are animated automatically: above this many edges they start switched off.
    static constexpr int DotsEdgeLimit = 400;

Q_SIGNALS:
    void nodeSelected(const QString &key); // "" when the selection is cleared
    void edgeSelected(const QString &edgeKey); // "" when the selection is cleared
    void laidOut();

protected:
    void drawBackground(QPainter *painter, const QRectF &rect) override;

private:
    void onSelectionChanged();
    void advanceDots();
    void updateAnimation();

    const models::MeshGraph *m_graph;
    QHash<QString, NodeItem *> m_nodes;
    QHash<QString, EdgeItem *> m_edges;
    EdgeDisplay m_display;
    bool m_dotsWanted = true;
    bool m_overview = false;
    QString m_selected; // the selected node's key (kept here too: the overview has no items)
    QString m_selectedEdge;
    bool m_settingSelection = false; // while making node and edge selection exclusive
    LayeredLayout::Input layoutInput(const QStringList &keys, const QStringList &edgeKeys,
                                     LabelRoom room) const;
    void setLabelRoom(LayeredLayout::Input &input, LabelRoom room,
                      const QStringList &edgeKeys) const;
    void place(const QStringList &keys, const QStringList &edgeKeys,
               const LayeredLayout::Result &layout, bool all);
    // A fitted view with full labels this many times too small to show names at all: no room
    // would (the labels do not take more than that from the width).
    static constexpr double HopelessBelow = 2.2;
    // The first room (Full, OneLine, None) whose fitted view reads whole, from the scene size
    // each gives; nullopt when a size it needs is not known (`sizeOf` gave none).
    std::optional<LabelRoom>
    chooseRoom(const std::function<std::optional<QSizeF>(LabelRoom)> &sizeOf);

    double m_aspect = 16.0 / 9.0;
    QSizeF m_canvas;
    LabelRoom m_labelRoom = LabelRoom::Full;
    double m_wantedZoom = 0.5; // readableZoom() when chooseRoom last measured the cards
    // The scene sizes (margins included) the rooms the last layout tried gave; empty for the
    // rooms it did not need to try.
    std::array<std::optional<QSizeF>, 3> m_roomSizes;
    std::vector<NamespaceBox> m_boxes;
    OverviewItem *m_overviewItem = nullptr;
    QTimer m_animation;
};

} // namespace meshscope::ui
