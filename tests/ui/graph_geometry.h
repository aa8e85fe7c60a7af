#pragma once

// Geometry checks of a laid-out topology: which edges cross cards they do not connect, which
// labels cover cards. Computed from the items' own geometry (the routes they draw).

#include <QHash>
#include <QLineF>
#include <QRectF>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <vector>

#include "ui/topology/edge_item.h"
#include "ui/topology/node_item.h"
#include "ui/topology/topology_scene.h"

namespace meshscope::testing {

// Whether the segment a-b passes through the inside of `rect` (Liang-Barsky clipping).
inline bool crosses(const QPointF &a, const QPointF &b, const QRectF &rect)
{
    double t0 = 0;
    double t1 = 1;
    const double dx = b.x() - a.x();
    const double dy = b.y() - a.y();
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4]
        = {a.x() - rect.left(), rect.right() - a.x(), a.y() - rect.top(), rect.bottom() - a.y()};
    for (int i = 0; i < 4; ++i) {
        if (p[i] == 0) {
            if (q[i] <= 0)
                return false;
            continue;
        }
        const double t = q[i] / p[i];
        if (p[i] < 0)
            t0 = std::max(t0, t);
        else
            t1 = std::min(t1, t);
        if (t0 >= t1)
            return false;
    }
    return true;
}

// Cards in a grid of cells, to test thousands of segments against a thousand cards quickly.
class CardGrid {
public:
    static constexpr double Cell = 200;
    explicit CardGrid(const ui::TopologyScene &scene, const QStringList &keys)
    {
        for (const auto &key : keys) {
            const auto *node = scene.nodeItem(key);
            const QRectF card(node->pos(), QSizeF(ui::NodeItem::Width, ui::NodeItem::Height));
            m_cards.push_back({key, card});
            forCells(card, [&](qint64 cell) { m_cells[cell].push_back(m_cards.size() - 1); });
        }
    }
    // The cards `rect` touches (each once).
    template <typename F> void near(const QRectF &rect, F &&f) const
    {
        std::vector<std::size_t> seen;
        forCells(rect, [&](qint64 cell) {
            for (const auto i : m_cells.value(cell))
                if (std::find(seen.begin(), seen.end(), i) == seen.end()) {
                    seen.push_back(i);
                    f(m_cards[i].first, m_cards[i].second);
                }
        });
    }

private:
    template <typename F> static void forCells(const QRectF &rect, F &&f)
    {
        for (auto x = static_cast<qint64>(std::floor(rect.left() / Cell));
             x <= static_cast<qint64>(std::floor(rect.right() / Cell)); ++x)
            for (auto y = static_cast<qint64>(std::floor(rect.top() / Cell));
                 y <= static_cast<qint64>(std::floor(rect.bottom() / Cell)); ++y)
                f(x * 1000003 + y);
    }
    std::vector<std::pair<QString, QRectF>> m_cards;
    QHash<qint64, std::vector<std::size_t>> m_cells;
};

// "cart>pricing crosses payments": every edge that runs through a card other than its two ends
// (its ends' cards too, beyond the few pixels at its ports), every label over a card.
inline QStringList crossings(const ui::TopologyScene &scene, const QStringList &nodeKeys,
                             const QStringList &edgeKeys)
{
    constexpr double PortSlack = 4; // the route starts and ends on the cards' sides
    const CardGrid grid(scene, nodeKeys);
    QStringList found;
    for (const auto &key : edgeKeys) {
        const auto *edge = scene.edgeItem(key);
        const QPolygonF &route = edge->route();
        for (qsizetype i = 0; i + 1 < route.size(); ++i) {
            const QPointF a = route[i];
            const QPointF b = route[i + 1];
            QString crossed;
            grid.near(QRectF(a, b).normalized(), [&](const QString &card, const QRectF &rect) {
                const bool end = card == edge->source()->key() || card == edge->target()->key();
                const QRectF inside
                    = end ? rect.adjusted(PortSlack, PortSlack, -PortSlack, -PortSlack) : rect;
                if (crossed.isEmpty() && crosses(a, b, inside))
                    crossed = card;
            });
            if (!crossed.isEmpty()) {
                found.append(QStringLiteral("%1 crosses %2").arg(key, crossed));
                break;
            }
        }
        const QRectF label = edge->labelRect();
        if (label.isEmpty())
            continue;
        grid.near(label, [&](const QString &card, const QRectF &rect) {
            if (rect.intersects(label))
                found.append(QStringLiteral("%1's label covers %2").arg(key, card));
        });
    }
    return found;
}

} // namespace meshscope::testing
