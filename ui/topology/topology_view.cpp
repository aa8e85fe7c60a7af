#include "ui/topology/topology_view.h"

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <cmath>

#include "ui/topology/edge_item.h"
#include "ui/topology/node_item.h"
#include "ui/topology/topology_scene.h"
#include "ui/topology/topology_style.h"

namespace meshscope::ui {

TopologyView::TopologyView(TopologyScene *scene, QWidget *parent)
    : QGraphicsView(scene, parent)
    , m_scene(scene)
{
    setRenderHint(QPainter::Antialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setOptimizationFlags(QGraphicsView::DontSavePainterState
                         | QGraphicsView::DontAdjustForAntialiasing);
    setFocusPolicy(Qt::StrongFocus);
    setAccessibleName(tr("Service topology"));
    connect(scene, &TopologyScene::laidOut, this, [this] {
        if (!m_userZoomed)
            fitAll();
    });
}

void TopologyView::fitAll()
{
    if (m_scene->nodeCount() == 0)
        return;
    fitInView(m_scene->sceneRect(), Qt::KeepAspectRatio);
    // A small mesh is shown larger, not left at 1:1 in the middle, but not blown up.
    if (transform().m11() > MaxFitScale)
        setTransform(QTransform::fromScale(MaxFitScale, MaxFitScale));
    scaleChanged();
    viewport()->update();
}

void TopologyView::fitWhole()
{
    m_userZoomed = false;
    followShape();
    fitAll();
}

void TopologyView::scaleChanged()
{
    m_scene->setOverview(m_scene->wantsOverview(transform().m11()));
}

void TopologyView::zoomBy(double factor)
{
    const double scale = transform().m11() * factor;
    if (scale < 0.03 || scale > 4)
        return;
    m_userZoomed = true;
    this->scale(factor, factor);
    scaleChanged();
}

void TopologyView::zoomTo(double scale)
{
    m_userZoomed = true;
    setTransform(QTransform::fromScale(scale, scale));
    scaleChanged();
}

void TopologyView::focusNode(const QString &key)
{
    if (auto *node = m_scene->nodeItem(key)) {
        m_scene->selectNode(key);
        // Zoomed out past reading its name: in to where it reads. Else the view stays as it is
        // (a fitted mesh stays fitted), moving only to bring the card into sight.
        if (m_scene->overview() || transform().m11() < 0.25)
            zoomTo(0.8);
        const QRectF card = node->sceneBoundingRect();
        if (!mapToScene(viewport()->rect()).boundingRect().contains(card))
            centerOn(node);
    }
}

void TopologyView::setEmptyText(const QString &text)
{
    m_emptyText = text;
    viewport()->update();
}

void TopologyView::mousePressEvent(QMouseEvent *event)
{
    // The overview draws the mesh without items: a click picks the card under it by geometry.
    if (m_scene->overview() && event->button() == Qt::LeftButton) {
        const QString key = m_scene->nodeAt(mapToScene(event->pos()));
        if (!key.isEmpty()) {
            m_scene->selectNode(key);
            event->accept();
            return;
        }
    }
    QGraphicsView::mousePressEvent(event);
}

void TopologyView::contextMenuEvent(QContextMenuEvent *event)
{
    const QString key = m_scene->nodeAt(mapToScene(event->pos()));
    if (key.isEmpty())
        return QGraphicsView::contextMenuEvent(event);
    Q_EMIT nodeMenuRequested(key, event->globalPos());
    event->accept();
}

void TopologyView::wheelEvent(QWheelEvent *event)
{
    zoomBy(std::pow(1.0015, event->angleDelta().y()));
    event->accept();
}

void TopologyView::keyPressEvent(QKeyEvent *event)
{
    switch (event->key()) {
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Up:
    case Qt::Key_Down:
        moveSelection(event->key());
        return;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (const QString key = m_scene->selectedNode(); !key.isEmpty())
            Q_EMIT nodeActivated(key);
        return;
    case Qt::Key_Escape:
        m_scene->selectEdge(QString());
        m_scene->clearNodeSelection();
        return;
    case Qt::Key_F:
        fitWhole();
        return;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomBy(1.25);
        return;
    case Qt::Key_Minus:
        zoomBy(0.8);
        return;
    default:
        QGraphicsView::keyPressEvent(event);
    }
}

bool TopologyView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        QString text;
        if (m_scene->overview()) {
            if (auto *node = m_scene->nodeItem(m_scene->nodeAt(mapToScene(help->pos()))))
                text = node->toolTipText();
        }
        for (auto *item : m_scene->overview() ? QList<QGraphicsItem *>() : items(help->pos())) {
            if (auto *node = dynamic_cast<NodeItem *>(item)) {
                text = node->toolTipText();
                break;
            }
            if (auto *edge = dynamic_cast<EdgeItem *>(item)) {
                text = edge->toolTipText();
                break;
            }
        }
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, viewport());
        return true;
    }
    return QGraphicsView::viewportEvent(event);
}

void TopologyView::paintEvent(QPaintEvent *event)
{
    if (!m_scene->overview()) {
        // How busy the window is decides how edges are drawn this time.
        const auto visible = m_scene->items(mapToScene(viewport()->rect()).boundingRect(),
                                            Qt::IntersectsItemBoundingRect);
        m_scene->setDense(visible.size() > DenseItems);
    }
    QGraphicsView::paintEvent(event);
}

void TopologyView::drawForeground(QPainter *painter, const QRectF &rect)
{
    QGraphicsView::drawForeground(painter, rect);
    if (m_scene->nodeCount() > 0 || m_emptyText.isEmpty())
        return;
    painter->save();
    painter->resetTransform();
    painter->setPen(palette().color(QPalette::PlaceholderText));
    painter->drawText(viewport()->rect().adjusted(40, 40, -40, -40),
                      Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
    painter->restore();
}

void TopologyView::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    if (m_userZoomed)
        return;
    followShape();
    fitAll();
}

void TopologyView::followShape()
{
    // Without the scroll bars a zoomed-in view has: the size once fitted.
    if (m_scene->setCanvas(maximumViewportSize()))
        m_scene->relayout(); // laidOut: fitted again
}

void TopologyView::changeEvent(QEvent *event)
{
    // The system went light or dark: the cards and edges take the new palette's colours.
    if (event->type() == QEvent::PaletteChange) {
        TopologyStyle::refresh();
        m_scene->update();
    }
    QGraphicsView::changeEvent(event);
}

} // namespace meshscope::ui
