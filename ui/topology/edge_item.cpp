#include "ui/topology/edge_item.h"

#include <QPainterPathStroker>

#include <algorithm>
#include <cmath>

#include "ui/format.h"
#include "ui/topology/layered_layout.h"
#include "ui/topology/node_item.h"
#include "ui/topology/topology_style.h"

namespace meshscope::ui {
namespace {
constexpr double ArrowSize = 9;
constexpr double DirectLabelWidth = 112;
constexpr double DirectLabelHeight = 66;

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
    setFlag(ItemIsSelectable);
    setFlag(ItemUsesExtendedStyleOption); // paint() draws only what the exposed rectangle shows
    adjust();
}

void EdgeItem::setEdge(const models::GraphEdge &edge)
{
    const bool repaint = edge.health != m_edge.health || edge.mtls != m_edge.mtls
        || edge.targetMeshed != m_edge.targetMeshed
        || TopologyStyle::widthBucket(edge.traffic.rps)
            != TopologyStyle::widthBucket(m_edge.traffic.rps)
        || (m_display->labels
            && (!(edge.traffic == m_edge.traffic) || edge.versions != m_edge.versions));
    const bool shares = edge.versions != m_edge.versions;
    m_edge = edge;
    if (repaint)
        update();
    if (shares)
        m_target->update(); // its card shows the shares observed
}

void EdgeItem::setRoute(const QPolygonF &route, const QRectF &label)
{
    if (route.size() < 2)
        return adjust();
    setPath(route, label);
}

void EdgeItem::adjust()
{
    const QPolygonF route
        = LayeredLayout::directRoute(m_source->outPort(), m_target->inPort(), NodeItem::Height);
    const QPointF middle = route[route.size() / 2];
    setPath(route,
            QRectF(middle.x() - DirectLabelWidth / 2, middle.y() - DirectLabelHeight / 2,
                   DirectLabelWidth, DirectLabelHeight));
}

void EdgeItem::setPath(const QPolygonF &route, const QRectF &label)
{
    prepareGeometryChange();
    m_route = route;
    m_label = label;
    m_shape = QPainterPath();
    m_lengths.resize(static_cast<std::size_t>(route.size()));
    m_lengths[0] = 0;
    for (qsizetype i = 1; i < route.size(); ++i) {
        const QPointF step = route[i] - route[i - 1];
        m_lengths[static_cast<std::size_t>(i)]
            = m_lengths[static_cast<std::size_t>(i - 1)] + std::hypot(step.x(), step.y());
    }
    const QPointF to = route.back();
    QPointF before = route[route.size() - 2];
    for (qsizetype i = route.size() - 2; i >= 0 && before == to; --i)
        before = route[i];
    const double angle = std::atan2(to.y() - before.y(), to.x() - before.x());
    m_arrow = QPolygonF(
        {to, to - QPointF(std::cos(angle - 0.45) * ArrowSize, std::sin(angle - 0.45) * ArrowSize),
         to - QPointF(std::cos(angle + 0.45) * ArrowSize, std::sin(angle + 0.45) * ArrowSize)});
    m_bounds = route.boundingRect().adjusted(-8, -8, 8, 8).united(m_label.adjusted(-2, -2, 2, 2));
}

QPointF EdgeItem::pointAt(double fraction) const
{
    const double length = m_lengths.back() * std::clamp(fraction, 0.0, 1.0);
    const auto it = std::lower_bound(m_lengths.begin(), m_lengths.end(), length);
    const auto i = static_cast<qsizetype>(std::max<std::ptrdiff_t>(1, it - m_lengths.begin()));
    const double span
        = m_lengths[static_cast<std::size_t>(i)] - m_lengths[static_cast<std::size_t>(i - 1)];
    const double t = span > 0 ? (length - m_lengths[static_cast<std::size_t>(i - 1)]) / span : 0.0;
    return m_route[i - 1] * (1 - t) + m_route[i] * t;
}

QRectF EdgeItem::boundingRect() const
{
    return m_bounds;
}

// The line with a generous width, and its label: what the pointer can hover and click.
QPainterPath EdgeItem::shape() const
{
    if (m_shape.isEmpty()) {
        QPainterPath line;
        line.addPolygon(m_route);
        QPainterPathStroker stroker;
        stroker.setWidth(HitWidth);
        m_shape = stroker.createStroke(line);
        if (!m_label.isEmpty())
            m_shape.addRect(m_label);
        m_shape.addPolygon(m_arrow);
        m_shape.setFillRule(Qt::WindingFill);
    }
    return m_shape;
}

namespace {

// "TCP · 2 conn", "↑ 310 B/s ↓ 8.2 kB/s": an edge's opaque TCP connections.
QStringList tcpLines(const meshcore::admin::TcpFigures &tcp)
{
    return {QObject::tr("TCP · %n conn", nullptr, static_cast<int>(tcp.openConnections)),
            QStringLiteral("↑ %1 ↓ %2")
                .arg(models::humanBytesPerSecond(tcp.sentBytesPerSecond),
                     models::humanBytesPerSecond(tcp.receivedBytesPerSecond))};
}

} // namespace

QStringList EdgeItem::labelLines() const
{
    if (!m_edge.targetMeshed)
        return {QObject::tr("unknown"), humanRps(m_edge.traffic.rps)};
    if (m_edge.traffic.requests == 0)
        return m_edge.tcp ? tcpLines(*m_edge.tcp) : QStringList {QObject::tr("idle")};
    QStringList lines {humanRps(m_edge.traffic.rps),
                       QObject::tr("%1 ok").arg(humanPercent(m_edge.traffic.successRate)),
                       QStringLiteral("p99 %1").arg(humanMs(m_edge.traffic.p99Ms))};
    if (m_edge.versions.size() > 1)
        for (const auto &version : m_edge.versions)
            lines.append(QStringLiteral("%1 %2").arg(QString::fromStdString(version.version),
                                                     humanPercent(version.share)));
    if (m_edge.tcp)
        lines.append(tcpLines(*m_edge.tcp));
    return lines;
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
    if (m_edge.carriesHttp())
        tip += QObject::tr(
                   "HTTP over the window: %1 (request rate), %2 succeeded, latency p50 %3, p95 "
                   "%4, p99 %5")
                   .arg(humanRps(m_edge.traffic.rps), humanPercent(m_edge.traffic.successRate),
                        humanMs(m_edge.traffic.p50Ms), humanMs(m_edge.traffic.p95Ms),
                        humanMs(m_edge.traffic.p99Ms));
    if (m_edge.tcp)
        tip += QObject::tr("%1TCP: %2 connections open, %3 opened per second; %4 sent, %5 "
                           "received; %6 refused since meshd started")
                   .arg(m_edge.carriesHttp() ? QStringLiteral("<br>") : QString())
                   .arg(m_edge.tcp->openConnections)
                   .arg(m_edge.tcp->connectionsPerSecond, 0, 'f', 1)
                   .arg(models::humanBytesPerSecond(m_edge.tcp->sentBytesPerSecond),
                        models::humanBytesPerSecond(m_edge.tcp->receivedBytesPerSecond))
                   .arg(m_edge.tcp->refusedTotal);
    for (const auto &version : m_edge.versions)
        tip += QObject::tr("<br>to %1: %2 of the requests")
                   .arg(QString::fromStdString(version.version), humanPercent(version.share));
    const auto &split = m_target->node().split;
    if (!split.isEmpty())
        tip += QObject::tr("<br>Split configured: %1").arg(models::splitText(split));
    if (m_display->stale)
        tip += QObject::tr("<br><i>meshd is not answering: these are the last figures seen.</i>");
    return tip;
}

} // namespace meshscope::ui
