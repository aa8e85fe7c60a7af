// How an edge draws itself: its route, the moving dots, the lock or warning mark and the label.
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <cmath>

#include "ui/topology/edge_item.h"
#include "ui/topology/topology_style.h"

namespace meshscope::ui {

void EdgeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const auto &style = TopologyStyle::current();
    const int bucket = TopologyStyle::widthBucket(m_edge.traffic.rps);
    const bool plain = !m_edge.mtls;
    QPen pen = m_display->stale ? style.stalePen(bucket, plain)
                                : style.edgePen(m_edge.health, bucket, plain);
    if (isSelected()) { // highlighted: wider, in the selection's colour
        pen.setColor(style.selection);
        pen.setWidthF(pen.widthF() + 2.5);
    }
    const double detail = option->levelOfDetailFromTransform(painter->worldTransform());
    painter->setPen(pen);
    // Hundreds of edges on screen, or the whole mesh at once: thin aliased strokes (an
    // antialiased wide stroke costs ten times more, and at that density nobody can tell).
    if (m_display->dense || detail < 0.3) {
        QPen thin(pen.color(), bucket >= 2 || isSelected() ? 2 : 0, pen.style());
        thin.setCosmetic(true);
        painter->setPen(thin);
        painter->setRenderHint(QPainter::Antialiasing, false);
    }
    paintRoute(
        painter, pen,
        option->exposedRect.adjusted(-pen.widthF(), -pen.widthF(), pen.widthF(), pen.widthF()));
    painter->setRenderHint(QPainter::Antialiasing, true);
    if (animated() && detail >= 0.25)
        paintDots(painter);
    // Too far to read, too many to tell apart (dense), or away from the window: no mark, no label.
    if (detail < 0.3 || m_display->dense)
        return;
    paintMarkAndLabel(painter, detail);
}

// Only the stretches of the route in the exposed area: a long edge crossing the window costs what
// its visible part costs, not its whole length.
void EdgeItem::paintRoute(QPainter *painter, const QPen &pen, const QRectF &exposed) const
{
    const auto count = m_route.size();
    qsizetype runStart = -1;
    for (qsizetype i = 0; i + 1 < count; ++i) {
        const bool visible = exposed.intersects(
            QRectF(m_route[i], m_route[i + 1]).normalized().adjusted(-1, -1, 1, 1));
        if (visible && runStart < 0)
            runStart = i;
        if ((!visible || i + 2 == count) && runStart >= 0) {
            const qsizetype runEnd = visible ? i + 1 : i; // last point of the run
            painter->drawPolyline(m_route.constData() + runStart,
                                  static_cast<int>(runEnd - runStart + 1));
            runStart = -1;
        }
    }
    if (exposed.intersects(m_arrow.boundingRect())) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(pen.color());
        painter->drawPolygon(m_arrow);
    }
}

// As many dots as requests per second (up to 8), moving from caller to callee.
void EdgeItem::paintDots(QPainter *painter) const
{
    const int dots = std::clamp(static_cast<int>(std::ceil(m_edge.traffic.rps)), 1, 8);
    painter->setPen(Qt::NoPen);
    painter->setBrush(TopologyStyle::current().dot);
    for (int i = 0; i < dots; ++i)
        painter->drawEllipse(
            pointAt(std::fmod(m_display->phase + static_cast<double>(i) / dots, 1.0)), 2.6, 2.6);
}

void EdgeItem::paintMarkAndLabel(QPainter *painter, double zoom) const
{
    const auto &style = TopologyStyle::current();
    // The label's text at a readable size on screen whatever the zoom, as many of its lines
    // as its place holds, in a box around them across the route (centred on it).
    QFont font = style.labelFont;
    font.setPixelSize(std::max(font.pixelSize(),
                               static_cast<int>(std::ceil(TopologyStyle::MinLabelPixels / zoom))));
    const QFontMetricsF metrics(font);
    const double lineHeight = metrics.height();
    const QStringList text = m_display->labels && !m_label.isEmpty() ? labelLines() : QStringList();
    const int lines = std::min(static_cast<int>((m_label.height() - 4) / lineHeight),
                               static_cast<int>(text.size()));
    const double markSize = std::min(14.0, lineHeight);
    QRectF box;
    if (lines > 0) {
        double width = 0;
        for (int i = 0; i < lines; ++i)
            width
                = std::max(width, metrics.horizontalAdvance(text[i]) + (i == 0 ? markSize + 4 : 0));
        width = std::min(width + 8, m_label.width());
        box = QRectF(m_label.center().x() - width / 2,
                     m_label.center().y() - lines * lineHeight / 2 - 2, width,
                     lines * lineHeight + 4);
        painter->setPen(Qt::NoPen);
        painter->setBrush(style.labelBackground);
        painter->drawRoundedRect(box, 3, 3);
    }
    // A lock on mTLS, a warning mark on anything else: in the label's first line, or near the
    // start of the route when there is no label.
    const QPointF mark = lines > 0
        ? QPointF(box.left() + 4 + markSize / 2, box.top() + 2 + lineHeight / 2)
        : pointAt(24 / std::max(m_lengths.back(), 24.0));
    const double s = markSize / 14;
    if (m_edge.mtls) {
        painter->setPen(Qt::NoPen);
        painter->setBrush(m_display->stale ? style.stale : style.lock);
        painter->drawRoundedRect(QRectF(mark.x() - 5 * s, mark.y() - 2 * s, 10 * s, 8 * s), 1.5,
                                 1.5);
        painter->setPen(QPen(m_display->stale ? style.stale : style.lock, 1.6 * s));
        painter->setBrush(Qt::NoBrush);
        painter->drawArc(QRectF(mark.x() - 3.5 * s, mark.y() - 7 * s, 7 * s, 9 * s), 0, 180 * 16);
    } else {
        painter->setPen(Qt::NoPen);
        painter->setBrush(m_display->stale ? style.stale
                                           : style.healthColour(models::Health::Failing));
        painter->drawEllipse(mark, 7 * s, 7 * s);
        painter->setPen(style.nodeFill);
        painter->setFont(style.nameFont);
        painter->drawText(QRectF(mark.x() - 7 * s, mark.y() - 7 * s, 14 * s, 14 * s),
                          Qt::AlignCenter, QStringLiteral("!"));
    }
    if (lines <= 0)
        return;
    painter->setFont(font);
    painter->setPen(m_display->stale ? style.mutedText
                        : m_edge.health == models::Health::Healthy
                            || m_edge.health == models::Health::Idle
                        ? style.text
                        : style.healthColour(m_edge.health));
    for (int i = 0; i < lines; ++i) {
        const double indent = i == 0 ? markSize + 8 : 4;
        const QRectF line(box.left() + indent, box.top() + 2 + i * lineHeight,
                          box.width() - indent - 2, lineHeight);
        painter->drawText(line, Qt::AlignLeft | Qt::AlignVCenter,
                          metrics.elidedText(text[i], Qt::ElideRight, line.width()));
    }
}

} // namespace meshscope::ui
