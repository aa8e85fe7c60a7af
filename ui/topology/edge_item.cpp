#include "ui/topology/edge_item.h"

#include <QPainter>
#include <QPainterPathStroker>
#include <QStyleOptionGraphicsItem>

#include <cmath>

#include "ui/format.h"
#include "ui/topology/node_item.h"
#include "ui/topology/topology_style.h"

namespace meshscope::ui {
namespace {
constexpr double LabelWidth = 190;
constexpr double LabelHeight = 16;
constexpr double ArrowSize = 9;
} // namespace

EdgeItem::EdgeItem(const models::GraphEdge &edge, NodeItem *source, NodeItem *target,
                   const EdgeDisplay *display)
    : m_edge(edge)
    , m_source(source)
    , m_target(target)
    , m_display(display)
{
    setZValue(0);
    setAcceptHoverEvents(false);
    setFlag(ItemUsesExtendedStyleOption); // paint() draws only what the exposed rectangle shows
    adjust();
}

void EdgeItem::setEdge(const models::GraphEdge &edge)
{
    const bool repaint = edge.health != m_edge.health || edge.mtls != m_edge.mtls
        || edge.targetMeshed != m_edge.targetMeshed
        || TopologyStyle::widthBucket(edge.traffic.rps)
            != TopologyStyle::widthBucket(m_edge.traffic.rps)
        || (m_display->labels && !(edge.traffic == m_edge.traffic));
    m_edge = edge;
    if (repaint)
        update();
}

void EdgeItem::adjust()
{
    const QPointF from = m_source->outPort();
    const QPointF to = m_target->inPort();
    const double reach = std::max(60.0, std::abs(to.x() - from.x()) / 2);
    QPointF c1 = from + QPointF(reach, 0);
    QPointF c2 = to - QPointF(reach, 0);
    if (to.x() <= from.x() + 20) { // back to an earlier layer: a loop below both
        const double below = std::max(from.y(), to.y()) + NodeItem::Height;
        c1 = from + QPointF(reach, below - from.y());
        c2 = to - QPointF(reach, to.y() - below);
    }
    QPainterPath path(from);
    path.cubicTo(c1, c2, to);
    prepareGeometryChange();
    m_path = path;
    // Points along the curve from its formula (QPainterPath::pointAtPercent measures the whole
    // path on every call: far too slow for thousands of edges).
    const auto at = [&](double t) {
        const double u = 1 - t;
        return from * (u * u * u) + c1 * (3 * u * u * t) + c2 * (3 * u * t * t) + to * (t * t * t);
    };
    for (std::size_t i = 0; i < m_samples.size(); ++i)
        m_samples[i] = at(static_cast<double>(i) / static_cast<double>(m_samples.size() - 1));
    m_middle = at(0.5);
    m_from = from;
    m_to = to;
    const QPointF tangent = to - at(0.97);
    const double angle = std::atan2(tangent.y(), tangent.x());
    m_arrow = QPolygonF(
        {to, to - QPointF(std::cos(angle - 0.45) * ArrowSize, std::sin(angle - 0.45) * ArrowSize),
         to - QPointF(std::cos(angle + 0.45) * ArrowSize, std::sin(angle + 0.45) * ArrowSize)});
    m_bounds = m_path.boundingRect()
                   .adjusted(-8, -8, 8, 8)
                   .united(QRectF(m_middle.x() - LabelWidth / 2, m_middle.y() - LabelHeight - 4,
                                  LabelWidth, LabelHeight + 24));
}

QRectF EdgeItem::boundingRect() const
{
    return m_bounds;
}

QPainterPath EdgeItem::shape() const
{
    QPainterPathStroker stroker;
    stroker.setWidth(10);
    return stroker.createStroke(m_path);
}

QString EdgeItem::labelText() const
{
    if (!m_edge.targetMeshed)
        return QObject::tr("unknown service · %1").arg(humanRps(m_edge.traffic.rps));
    if (m_edge.traffic.requests == 0)
        return QObject::tr("idle");
    return QStringLiteral("%1 · %2 · p99 %3")
        .arg(humanRps(m_edge.traffic.rps), humanPercent(m_edge.traffic.successRate),
             humanMs(m_edge.traffic.p99Ms));
}

QString EdgeItem::toolTipText() const
{
    QString tip = QStringLiteral("<b>%1 → %2</b><br>")
                      .arg(m_edge.source.toHtmlEscaped(), m_edge.target.toHtmlEscaped());
    if (!m_edge.targetMeshed)
        tip += QObject::tr(
            "Calls to a name no service has: answered 503 by the caller's proxy, never sent.<br>");
    else if (m_edge.mtls)
        tip += QObject::tr("mTLS: %1 → %2<br>")
                   .arg(m_edge.sourceIdentity.toHtmlEscaped(),
                        m_edge.targetIdentity.toHtmlEscaped());
    else
        tip += QObject::tr("Not mTLS: plaintext traffic<br>");
    tip += QObject::tr(
               "Over the window: %1 (request rate), %2 succeeded, latency p50 %3, p95 %4, p99 %5")
               .arg(humanRps(m_edge.traffic.rps), humanPercent(m_edge.traffic.successRate),
                    humanMs(m_edge.traffic.p50Ms), humanMs(m_edge.traffic.p95Ms),
                    humanMs(m_edge.traffic.p99Ms));
    for (const auto &version : m_edge.versions)
        tip += QObject::tr("<br>to %1: %2 of the requests")
                   .arg(QString::fromStdString(version.version), humanPercent(version.share));
    return tip;
}

void EdgeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const auto &style = TopologyStyle::current();
    const bool plain = !m_edge.mtls;
    const QPen &pen
        = style.edgePen(m_edge.health, TopologyStyle::widthBucket(m_edge.traffic.rps), plain);
    const double detail = option->levelOfDetailFromTransform(painter->worldTransform());
    painter->setPen(pen);
    if (detail
        < 0.3) { // the whole mesh at once: straight, aliased lines read as well and draw far faster
        painter->setRenderHint(QPainter::Antialiasing, false);
        painter->drawLine(m_from, m_to);
        painter->setRenderHint(QPainter::Antialiasing, true);
        return;
    }
    // Hundreds of edges on screen: thin aliased strokes (an antialiased wide stroke costs ten
    // times more, and at that density nobody can tell).
    if (m_display->dense) {
        QPen thin(pen.color(), TopologyStyle::widthBucket(m_edge.traffic.rps) >= 2 ? 2 : 0,
                  pen.style());
        thin.setCosmetic(true);
        painter->setPen(thin);
        painter->setRenderHint(QPainter::Antialiasing, false);
    }
    paintCurve(
        painter, pen,
        option->exposedRect.adjusted(-pen.widthF(), -pen.widthF(), pen.widthF(), pen.widthF()));
    painter->setRenderHint(QPainter::Antialiasing, true);
    if (m_display->dots && m_edge.traffic.rps > 0 && detail >= 0.25)
        paintDots(painter);
    // Too far to read, too many to tell apart (dense), or away from the window: no lock, no label.
    if (detail < 0.45 || m_display->dense
        || !option->exposedRect.intersects(
            QRectF(m_middle, m_middle).adjusted(-LabelWidth, -60, LabelWidth, 30)))
        return; // the lock and the label sit near the middle
    paintMarkAndLabel(painter);
}

// Only the stretches of the curve in the exposed area: a long edge crossing the window costs what
// its visible part costs, not its whole length.
void EdgeItem::paintCurve(QPainter *painter, const QPen &pen, const QRectF &exposed) const
{
    std::size_t runStart = m_samples.size();
    for (std::size_t i = 0; i + 1 < m_samples.size(); ++i) {
        const bool visible = exposed.intersects(
            QRectF(m_samples[i], m_samples[i + 1]).normalized().adjusted(-1, -1, 1, 1));
        if (visible && runStart == m_samples.size())
            runStart = i;
        if ((!visible || i + 2 == m_samples.size()) && runStart != m_samples.size()) {
            const std::size_t runEnd = visible ? i + 1 : i; // last point of the run
            painter->drawPolyline(m_samples.data() + runStart,
                                  static_cast<int>(runEnd - runStart + 1));
            runStart = m_samples.size();
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
    painter->setBrush(TopologyStyle::current().dot);
    for (int i = 0; i < dots; ++i) {
        const double at = std::fmod(m_display->phase + static_cast<double>(i) / dots, 1.0)
            * static_cast<double>(m_samples.size() - 1);
        const auto index = static_cast<std::size_t>(at);
        const double t = at - static_cast<double>(index);
        const QPointF point
            = m_samples[index] * (1 - t) + m_samples[std::min(index + 1, m_samples.size() - 1)] * t;
        painter->drawEllipse(point, 2.6, 2.6);
    }
}

void EdgeItem::paintMarkAndLabel(QPainter *painter) const
{
    const auto &style = TopologyStyle::current();
    // A lock on mTLS, a warning mark on anything else, just before the middle.
    const QPointF mark = m_samples[12];
    if (m_edge.mtls) {
        painter->setBrush(style.lock);
        painter->drawRoundedRect(QRectF(mark.x() - 5, mark.y() - 2, 10, 8), 1.5, 1.5);
        painter->setPen(QPen(style.lock, 1.6));
        painter->setBrush(Qt::NoBrush);
        painter->drawArc(QRectF(mark.x() - 3.5, mark.y() - 7, 7, 9), 0, 180 * 16);
    } else {
        painter->setBrush(style.healthColour(models::Health::Failing));
        painter->drawEllipse(mark, 7, 7);
        painter->setPen(style.nodeFill);
        painter->setFont(style.nameFont);
        painter->drawText(QRectF(mark.x() - 7, mark.y() - 7, 14, 14), Qt::AlignCenter,
                          QStringLiteral("!"));
    }
    if (!m_display->labels)
        return;
    painter->setFont(style.labelFont);
    const QString text = labelText();
    const double width = std::min(
        LabelWidth, static_cast<double>(painter->fontMetrics().horizontalAdvance(text)) + 8);
    const QRectF label(m_middle.x() - width / 2, m_middle.y() - LabelHeight - 3, width,
                       LabelHeight);
    painter->setPen(Qt::NoPen);
    painter->setBrush(style.labelBackground);
    painter->drawRoundedRect(label, 3, 3);
    painter->setPen(m_edge.health == models::Health::Healthy
                            || m_edge.health == models::Health::Idle
                        ? style.text
                        : style.healthColour(m_edge.health));
    painter->drawText(label, Qt::AlignCenter, text);
}

} // namespace meshscope::ui
