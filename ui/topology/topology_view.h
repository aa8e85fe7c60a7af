#pragma once

#include <QGraphicsView>

#include "ui/topology/topology_scene.h"

namespace meshscope::ui {

// The topology on screen: wheel to zoom (around the pointer), drag the background to pan, drag a
// node to move it, click a node or an edge (its line or its label) to select it, F to fit, + and
// - to zoom, the arrow keys to move the selection to the nearest node that way, Enter to open
// the selected node, Escape to clear the selection. Fitted, it fills the window's width or
// height (a small mesh up to MaxFitScale), and the layout follows the window's shape.
// Tooltips tell what every figure measures. An empty mesh says what to do rather than showing
// nothing.
// Thread: GUI.
class TopologyView : public QGraphicsView {
    Q_OBJECT
public:
    explicit TopologyView(TopologyScene *scene, QWidget *parent = nullptr);

    void fitAll();
    // F and View > Fit the Mesh: fitted again, in the layout the window's size calls for, and
    // following the window from now on (until the next zoom).
    void fitWhole();
    void zoomBy(double factor);
    void zoomTo(double scale); // 1: natural size
    // Centres on a node and selects it.
    void focusNode(const QString &key);
    void setEmptyText(const QString &text);

    // A small mesh is fitted larger, up to this.
    static constexpr double MaxFitScale = TopologyScene::MaxFitScale;
    // The node nearest `from`'s centre in the direction of an arrow key (Qt::Key_Left...), or
    // "" when there is none that way; with `from` empty, the first node (top left).
    QString nearestNode(const QString &from, int arrowKey) const;

Q_SIGNALS:
    // A right click on a node's card (the window builds the menu).
    void nodeMenuRequested(const QString &key, const QPoint &globalPos);
    // Enter or Return on the selected node (the window opens its panel).
    void nodeActivated(const QString &key);

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    static constexpr int DenseItems
        = 500; // items on screen above which edges draw thin and aliased
    void scaleChanged(); // the overview, for a view zoomed out past reading
    // A new layout when the window's shape changed much, or its size calls for another room for
    // the labels (and the user did not zoom).
    void followShape();
    bool moveSelection(int arrowKey);

    TopologyScene *m_scene;
    QString m_emptyText;
    bool m_userZoomed = false; // until then, each new layout is fitted to the window
};

} // namespace meshscope::ui
