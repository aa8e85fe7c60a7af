#pragma once

#include <QGraphicsView>

namespace meshscope::ui {

class TopologyScene;

// The topology on screen: wheel to zoom (around the pointer), drag the background to pan, drag a
// node to move it, F to fit, + and - to zoom. Tooltips tell what every figure measures. An empty
// mesh says what to do rather than showing nothing.
// Thread: GUI.
class TopologyView : public QGraphicsView {
    Q_OBJECT
public:
    explicit TopologyView(TopologyScene *scene, QWidget *parent = nullptr);

    void fitAll();
    void zoomBy(double factor);
    void zoomTo(double scale); // 1: natural size
    // Centres on a node and selects it.
    void focusNode(const QString &key);
    void setEmptyText(const QString &text);

Q_SIGNALS:
    // A right click on a node's card (the window builds the menu).
    void nodeMenuRequested(const QString &key, const QPoint &globalPos);

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    static constexpr int DenseItems
        = 500; // items on screen above which edges draw thin and aliased
    void scaleChanged(); // the overview, for a view zoomed out past reading

    TopologyScene *m_scene;
    QString m_emptyText;
    bool m_userZoomed = false; // until then, each new layout is fitted to the window
};

} // namespace meshscope::ui
