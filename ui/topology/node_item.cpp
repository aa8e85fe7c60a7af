#include "ui/topology/node_item.h"

#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <cmath>

#include "ui/format.h"
#include "ui/topology/edge_item.h"
#include "ui/topology/topology_style.h"

namespace meshscope::ui {
namespace {
bool edgesFollow = true;
} // namespace

void NodeItem::setEdgesFollow(bool follow)
{
    edgesFollow = follow;
}

NodeItem::NodeItem(const models::GraphNode &node)
    : m_node(node)
{
    setFlags(ItemIsMovable | ItemIsSelectable | ItemSendsGeometryChanges);
    setZValue(1);
}

void NodeItem::setNode(const models::GraphNode &node)
{
    const bool looksDifferent = node.health != m_node.health || node.versions != m_node.versions
        || node.name != m_node.name || node.kind != m_node.kind
        || node.problems.isEmpty() != m_node.problems.isEmpty() || node.badge != m_node.badge
        || node.badgeHealth != m_node.badgeHealth || node.split != m_node.split;
    m_node = node;
    if (looksDifferent)
        update();
}

void NodeItem::removeEdge(EdgeItem *edge)
{
    m_edges.erase(std::remove(m_edges.begin(), m_edges.end(), edge), m_edges.end());
}

QRectF NodeItem::boundingRect() const
{
    return QRectF(-2, -2, Width + 4, Height + 4 + BadgeHeight / 2);
}

// A rollout on the service: a pill across the card's bottom edge, coloured by its state.
void NodeItem::paintBadge(QPainter *painter) const
{
    const auto &style = TopologyStyle::current();
    painter->setFont(style.smallFont);
    const QFontMetrics metrics = painter->fontMetrics();
    painter->setBrush(m_stale ? style.stale : style.healthColour(m_node.badgeHealth));
    const QString text = metrics.elidedText(m_node.badge, Qt::ElideRight, int(Width - 24));
    const double width = metrics.horizontalAdvance(text) + 14;
    const QRectF pill(Width - 8 - width, Height - BadgeHeight / 2, width, BadgeHeight);
    painter->setPen(Qt::NoPen);
    painter->drawRoundedRect(pill, BadgeHeight / 2, BadgeHeight / 2);
    painter->setPen(style.nodeFill);
    painter->drawText(pill, Qt::AlignCenter, text);
}

void NodeItem::setStale(bool stale)
{
    if (stale == m_stale)
        return;
    m_stale = stale;
    update();
}

void NodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const auto &style = TopologyStyle::current();
    const QRectF card(0, 0, Width, Height);
    QPen border(m_stale ? style.stale : style.healthColour(m_node.health),
                isSelected() ? 3.0 : 2.0);
    if (m_node.kind == models::GraphNode::Kind::Unknown)
        border.setStyle(Qt::DashLine);
    painter->setPen(border);
    painter->setBrush(isSelected() ? style.nodeFillSelected : style.nodeFill);
    const double zoom = option->levelOfDetailFromTransform(painter->worldTransform());
    if (zoom < TopologyStyle::NamesZoom) { // too small for a name: a coloured card is all
        painter->drawRect(card);
        return;
    }
    const double radius = m_node.kind == models::GraphNode::Kind::Client ? Height / 2 : 8;
    painter->drawRoundedRect(card, radius, radius);
    paintText(painter, zoom);
    if (!m_node.problems.isEmpty()) { // a check names it: a badge on the corner, off the name
        painter->setPen(Qt::NoPen);
        painter->setBrush(m_stale ? style.stale : style.healthColour(m_node.health));
        painter->drawEllipse(QPointF(Width - 4, 4), 6, 6);
        painter->setPen(style.nodeFill);
        painter->setFont(style.nameFont);
        painter->drawText(QRectF(Width - 10, -2, 12, 12), Qt::AlignCenter, QStringLiteral("!"));
    }
    if (!m_node.badge.isEmpty() && zoom >= 0.45)
        paintBadge(painter);
}

namespace {

constexpr double Narrowest = 0.75; // drawFitted narrows a line this much at most

// The least zoom at which `text` in `font`, kept at least `minimumPixels` high on screen, fits
// `width` (scene units) narrowed by a quarter: a font larger in the scene is wider in proportion.
double fitsFrom(const QFont &font, double minimumPixels, const QString &text, double width)
{
    QFont reference = font;
    reference.setPixelSize(100);
    const double perPixel = QFontMetricsF(reference).horizontalAdvance(text) / 100;
    const double largest = std::floor(width / (Narrowest * std::max(perPixel, 1e-6)));
    // Too long even at its own size: cut short at any zoom; from where it has its own size on,
    // zooming in changes nothing.
    return minimumPixels / std::max({largest, double(font.pixelSize()), 1.0});
}

} // namespace

double NodeItem::readableFrom() const
{
    const auto &style = TopologyStyle::current();
    // Shares of two digits each (100 and 0 take as many): new shares must not cut the line of a
    // mesh laid out before them.
    double zoom = fitsFrom(style.nameFont, TopologyStyle::MinNamePixels, m_node.name, TextWidth);
    if (m_node.versions.size() > 1) { // their shares matter: the second line has to show too
        QStringList shares;
        for (const auto &version : m_node.versions)
            shares.append(version + QStringLiteral(" 88 %"));
        zoom = std::max(zoom,
                        fitsFrom(style.smallFont, TopologyStyle::MinDetailPixels,
                                 shares.join(QStringLiteral(" · ")), TextWidth));
        QFont name = style.nameFont;
        name.setPixelSize(100);
        QFont small = style.smallFont;
        small.setPixelSize(100);
        const double lines = (QFontMetricsF(name).height() * TopologyStyle::MinNamePixels
                              + QFontMetricsF(small).height() * TopologyStyle::MinDetailPixels)
            / 100;
        zoom = std::max(zoom,
                        std::min(lines / (Height - 6),
                                 TopologyStyle::MinNamePixels / style.nameFont.pixelSize()));
    }
    return zoom;
}

void NodeItem::paintText(QPainter *painter, double zoom) const
{
    const auto &style = TopologyStyle::current();
    const double textWidth = TextWidth;
    const auto &name = style.readable(style.nameFont, TopologyStyle::MinNamePixels, zoom);
    const auto &detail = style.readable(style.smallFont, TopologyStyle::MinDetailPixels, zoom);
    const double nameHeight = name.metrics.height();
    const double detailHeight = detail.metrics.height();
    const double margin = std::clamp((Height - nameHeight - detailHeight) / 3, 2.0, 8.0);
    const bool withDetail = margin + nameHeight + detailHeight <= Height - 2;
    const QRectF nameRect(12, withDetail ? margin : (Height - nameHeight) / 2, textWidth,
                          nameHeight);
    painter->setPen(m_stale ? style.mutedText : style.text);
    painter->setFont(name.font);
    drawFitted(painter, name.metrics, nameRect, m_node.name);
    if (!withDetail)
        return; // the versions give way first
    painter->setFont(detail.font);
    painter->setPen(style.mutedText);
    drawFitted(painter, detail.metrics, QRectF(12, nameRect.bottom(), Width - 24, detailHeight),
               detailText());
}

// `text` in `rect`, narrowed up to a quarter when it is a little too long ("recommendations",
// "v1 50 % · v2 50 %" zoomed out), cut short with "…" only beyond that.
void NodeItem::drawFitted(QPainter *painter, const QFontMetricsF &metrics, const QRectF &rect,
                          const QString &text)
{
    const double advance = metrics.horizontalAdvance(text);
    if (advance <= rect.width() || advance * Narrowest > rect.width()) {
        painter->drawText(rect, Qt::AlignLeft | Qt::AlignVCenter,
                          metrics.elidedText(text, Qt::ElideRight, rect.width()));
        return;
    }
    const double squeeze = rect.width() / advance;
    painter->save();
    painter->translate(rect.left(), rect.top());
    painter->scale(squeeze, 1);
    painter->drawText(QRectF(0, 0, advance + 1, rect.height()), Qt::AlignLeft | Qt::AlignVCenter,
                      text);
    painter->restore();
}

QList<models::VersionWeight> NodeItem::observedShares() const
{
    QList<models::VersionWeight> shares; // per mille of the requests, over its callers
    QList<double> sums;
    for (const auto *edge : m_edges) {
        if (edge->target() != this || edge->edge().versions.size() < 2)
            continue;
        for (const auto &version : edge->edge().versions) {
            const QString name = QString::fromStdString(version.version);
            auto it = std::find_if(shares.begin(), shares.end(),
                                   [&](const auto &w) { return w.version == name; });
            if (it == shares.end()) {
                shares.append({name, 0});
                sums.append(0);
                it = shares.end() - 1;
            }
            sums[it - shares.begin()] += version.share * std::max(edge->edge().traffic.rps, 1e-9);
        }
    }
    double total = 0;
    for (const double sum : sums)
        total += sum;
    if (total <= 0)
        return {}; // no share observed: nothing to say
    for (qsizetype i = 0; i < shares.size(); ++i)
        shares[i].weight = static_cast<unsigned>(std::lround(1000 * sums[i] / total));
    return shares;
}

QString NodeItem::detailText() const
{
    switch (m_node.kind) {
    case models::GraphNode::Kind::Client:
        return QObject::tr("client · %1").arg(m_node.ns);
    case models::GraphNode::Kind::Unknown:
        return QObject::tr("unknown: no such service");
    case models::GraphNode::Kind::Service:
        break;
    }
    if (m_node.versions.size() > 1) {
        const auto shares = m_node.split.isEmpty() ? observedShares() : m_node.split;
        if (!shares.isEmpty())
            return models::splitText(shares);
        return m_node.versions.join(QStringLiteral(" · "));
    }
    return m_node.ns
        + (m_node.versions.isEmpty() ? QString() : QStringLiteral(" · ") + m_node.versions.front());
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant &value)
{
    if (change == ItemPositionHasChanged && edgesFollow)
        for (auto *edge : m_edges)
            edge->adjust();
    return QGraphicsItem::itemChange(change, value);
}

void NodeItem::mouseReleaseEvent(QGraphicsSceneMouseEvent *event)
{
    if (event->buttonDownScenePos(Qt::LeftButton) != event->scenePos())
        m_pinned = true; // the user put it there
    QGraphicsItem::mouseReleaseEvent(event);
}

QString NodeItem::toolTipText() const
{
    QString tip = QStringLiteral("<b>%1</b>").arg(m_node.key.toHtmlEscaped());
    if (m_node.kind == models::GraphNode::Kind::Unknown)
        tip += QObject::tr("<br>A name that was called but that no service of the mesh has: every "
                           "request to it failed (503).");
    else if (m_node.traffic.requests > 0)
        tip += QObject::tr("<br>As its callers saw it over the window: %1, success %2, p50 %3, p95 "
                           "%4, p99 %5")
                   .arg(humanRps(m_node.traffic.rps), humanPercent(m_node.traffic.successRate),
                        humanMs(m_node.traffic.p50Ms), humanMs(m_node.traffic.p95Ms),
                        humanMs(m_node.traffic.p99Ms));
    else
        tip += QObject::tr("<br>No requests to it in the window.");
    for (const auto &problem : m_node.problems)
        tip += QStringLiteral("<br>⚠ ") + problem.toHtmlEscaped();
    if (!m_node.badge.isEmpty())
        tip += QObject::tr("<br>Rollout: %1 (the Rollouts tab shows it)")
                   .arg(m_node.badge.toHtmlEscaped());
    if (!m_node.split.isEmpty())
        tip += QObject::tr("<br>Split configured: %1").arg(models::splitText(m_node.split));
    else if (const auto observed = observedShares(); !observed.isEmpty())
        tip += QObject::tr("<br>Shares observed: %1").arg(models::splitText(observed));
    if (m_stale)
        tip += QObject::tr("<br><i>meshd is not answering: these are the last figures seen.</i>");
    return tip;
}

} // namespace meshscope::ui
