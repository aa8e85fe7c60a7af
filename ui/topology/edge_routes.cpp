// The edges' routes of the layered layout, their labels' places, and the groups' boxes. A route
// bends only in the gaps between columns, where no card is; inside a column it runs straight
// along its lane, between two cards.
#include <algorithm>
#include <cmath>

#include "ui/topology/layout_steps.h"

namespace meshscope::ui::layout {
namespace {

constexpr double BoxPadding = 8;
constexpr double BoxTitle = 16;

std::size_t at(int i)
{
    return static_cast<std::size_t>(i);
}

// A smooth curve from the route's last point to `to`, level at both ends (it stays within
// their x range: it never leaves the gap).
void curveTo(QPolygonF &route, const QPointF &to)
{
    const QPointF from = route.back();
    const double dy = to.y() - from.y();
    if (std::abs(dy) < 0.5) {
        route << to;
        return;
    }
    const double half = (to.x() - from.x()) / 2;
    const QPointF c1 = from + QPointF(half, 0);
    const QPointF c2 = to - QPointF(half, 0);
    const int samples = std::clamp(static_cast<int>(std::abs(dy) / 16), 3, 12);
    for (int i = 1; i <= samples; ++i) {
        const double t = static_cast<double>(i) / samples;
        const double u = 1 - t;
        route << from * (u * u * u) + c1 * (3 * u * u * t) + c2 * (3 * u * t * t)
                + to * (t * t * t);
    }
}

// An orthogonal path with its corners rounded.
QPolygonF rounded(const std::vector<QPointF> &corners, double radius)
{
    QPolygonF route;
    route << corners.front();
    for (std::size_t i = 1; i + 1 < corners.size(); ++i) {
        const QPointF corner = corners[i];
        const QPointF in = corners[i - 1] - corner;
        const QPointF out = corners[i + 1] - corner;
        const double lengthIn = std::hypot(in.x(), in.y());
        const double lengthOut = std::hypot(out.x(), out.y());
        const double r = std::min({radius, lengthIn / 2, lengthOut / 2});
        if (r < 0.5) {
            route << corner;
            continue;
        }
        const QPointF a = corner + in * (r / lengthIn);
        const QPointF b = corner + out * (r / lengthOut);
        for (int s = 0; s <= 4; ++s) {
            const double t = s / 4.0;
            route << a * ((1 - t) * (1 - t)) + corner * (2 * t * (1 - t)) + b * (t * t);
        }
    }
    route << corners.back();
    return route;
}

// The edges' ends spread along the cards' sides, in the order of where they go, so they leave
// and arrive apart and do not cross at the card.
struct Ports {
    std::vector<double> out; // per edge: y on its caller's right side
    std::vector<double> in; // on its callee's left side
};

Ports ports(const LayeredLayout::Input &input, const Columns &columns, const Metrics &metrics)
{
    const std::size_t n = at(columns.realCount);
    std::vector<std::vector<std::pair<double, int>>> outs(n);
    std::vector<std::vector<std::pair<double, int>>> ins(n);
    for (std::size_t e = 0; e < input.edges.size(); ++e) {
        const auto [from, to] = input.edges[e];
        const auto &chain = columns.chains[e];
        const double below = 1e12 + static_cast<double>(e); // a back edge runs below
        outs[at(from)].push_back({chain.empty() ? below : columns.y[at(chain[1])], int(e)});
        ins[at(to)].push_back(
            {chain.empty() ? below : columns.y[at(chain[chain.size() - 2])], int(e)});
    }
    Ports result {std::vector<double>(input.edges.size()), std::vector<double>(input.edges.size())};
    const auto spread
        = [&](std::vector<std::vector<std::pair<double, int>>> &sides, std::vector<double> &place) {
              for (std::size_t v = 0; v < n; ++v) {
                  auto &side = sides[v];
                  std::sort(side.begin(), side.end());
                  const double top = columns.y[v] - metrics.height / 2;
                  for (std::size_t i = 0; i < side.size(); ++i)
                      place[at(side[i].second)] = top
                          + metrics.height * static_cast<double>(i + 1)
                              / static_cast<double>(side.size() + 1);
              }
          };
    spread(outs, result.out);
    spread(ins, result.in);
    return result;
}

// A forward edge's label: centred in one gap it crosses (its first or its last, whichever has
// fewer labels), stacked with the other labels of that gap in the order of the edges' heights
// there, as near as they allow to the middle of where the edge enters and leaves the gap.
struct LabelPlace {
    std::size_t gap = 0; // of the edge's gaps; past the last: no label
    double y = 0;
};

struct LabelRequest {
    std::size_t edge;
    double wanted;
    QSizeF size;
};

std::vector<LabelPlace> placeLabels(const LayeredLayout::Input &input, const Columns &columns,
                                    const Metrics &metrics, const Ports &port,
                                    std::vector<QRectF> &rects)
{
    std::vector<std::vector<LabelRequest>> byGap(columns.items.size());
    std::vector<LabelPlace> places(input.edges.size());
    const auto yAt = [&](std::size_t e, std::size_t i) {
        const auto &chain = columns.chains[e];
        return i == 0 ? port.out[e] : i + 1 == chain.size() ? port.in[e] : columns.y[at(chain[i])];
    };
    const auto request = [&](std::size_t e, std::size_t g) {
        const int column = columns.columnOf[at(columns.chains[e].front())] + static_cast<int>(g);
        const QSizeF size = e < input.labelSizes.size() ? input.labelSizes[e] : input.labelSize;
        byGap[at(column)].push_back({e, (yAt(e, g) + yAt(e, g + 1)) / 2, size});
        places[e].gap = g;
    };
    for (int pass = 0; pass < 2; ++pass) // the edges with one gap have no choice: first
        for (std::size_t e = 0; e < input.edges.size(); ++e) {
            const auto &chain = columns.chains[e];
            if (chain.empty() || (chain.size() == 2) != (pass == 0))
                continue;
            const int first = columns.columnOf[at(chain.front())];
            const int last = first + static_cast<int>(chain.size()) - 2;
            request(e, byGap[at(last)].size() < byGap[at(first)].size() ? chain.size() - 2 : 0);
        }
    for (std::size_t c = 0; c < byGap.size(); ++c) {
        auto &requests = byGap[c];
        std::stable_sort(requests.begin(), requests.end(),
                         [](const auto &a, const auto &b) { return a.wanted < b.wanted; });
        std::vector<double> wanted;
        std::vector<double> apart;
        for (std::size_t i = 0; i < requests.size(); ++i) {
            wanted.push_back(requests[i].wanted);
            apart.push_back(
                i == 0 ? 0 : (requests[i - 1].size.height() + requests[i].size.height()) / 2 + 4);
        }
        const auto y = settleInOrder(wanted, apart);
        for (std::size_t i = 0; i < requests.size(); ++i) {
            const auto &r = requests[i];
            if (std::abs(y[i] - r.wanted) > 4 * r.size.height()) { // too far from its edge
                places[r.edge].gap = columns.chains[r.edge].size();
                continue;
            }
            places[r.edge].y = y[i];
            rects[r.edge] = QRectF(QPointF(metrics.right(static_cast<int>(c))
                                               + (metrics.columnGap - r.size.width()) / 2,
                                           y[i] - r.size.height() / 2),
                                   r.size);
        }
    }
    return places;
}

// A forward edge: straight along each lane, a curve across each gap; in its label's gap, a
// curve to the label's height, straight under the label, a curve to where it goes on.
void routeForward(const std::vector<int> &chain, double outY, double inY, const Columns &columns,
                  const Metrics &metrics, const LabelPlace &place, const QRectF &label,
                  QPolygonF &route)
{
    const int first = columns.columnOf[at(chain.front())];
    const std::size_t gaps = chain.size() - 1;
    const auto yAt = [&](std::size_t i) {
        return i == 0 ? outY : i == gaps ? inY : columns.y[at(chain[i])];
    };
    route.reserve(static_cast<qsizetype>(gaps) * 8 + 8);
    route << QPointF(metrics.right(first), outY);
    for (std::size_t g = 0; g < gaps; ++g) {
        const int column = first + static_cast<int>(g);
        const QPointF end(metrics.left(column + 1), yAt(g + 1));
        if (g == place.gap) {
            curveTo(route, QPointF(label.left() - Metrics::LabelMargin, place.y));
            route << QPointF(label.right() + Metrics::LabelMargin, place.y);
        }
        curveTo(route, end);
        if (g + 1 < gaps) // along the lane, across the next column
            route << QPointF(metrics.right(column + 1), end.y());
    }
}

} // namespace

void routeEdges(const LayeredLayout::Input &input, const Columns &columns, const Metrics &metrics,
                LayeredLayout::Result &result)
{
    const Ports port = ports(input, columns, metrics);
    const auto places = placeLabels(input, columns, metrics, port, result.labels);
    std::vector<QRectF> below; // the back edges' labels, on their runs below the cards
    std::vector<double> deepest(columns.items.size(), -1e300); // the lowest card's bottom
    for (int v = 0; v < columns.realCount; ++v)
        deepest[at(columns.columnOf[at(v)])]
            = std::max(deepest[at(columns.columnOf[at(v)])],
                       columns.y[at(v)] + metrics.height / 2 + Metrics::Badge);
    int backCount = 0;
    for (std::size_t e = 0; e < input.edges.size(); ++e) {
        const auto &chain = columns.chains[e];
        const QSizeF labelSize
            = e < input.labelSizes.size() ? input.labelSizes[e] : input.labelSize;
        if (!chain.empty()) {
            routeForward(chain, port.out[e], port.in[e], columns, metrics, places[e],
                         result.labels[e], result.routes[e]);
            continue;
        }
        // Back (or to itself): out to the right, below every card of its columns, back in
        // from the left.
        const auto [from, to] = input.edges[e];
        const int source = columns.columnOf[at(from)];
        const int target = columns.columnOf[at(to)];
        const int lane = backCount++ % 6;
        double bottom = -1e300;
        for (int c = target; c <= source; ++c)
            bottom = std::max(bottom, deepest[at(c)]);
        const double y = bottom + 20 + 10 * lane;
        const double xOut = metrics.right(source) + Metrics::LabelMargin + 6 * lane;
        const double xIn = metrics.left(target) - Metrics::LabelMargin - 6 * lane;
        result.routes[e] = rounded({{metrics.right(source), port.out[e]},
                                    {xOut, port.out[e]},
                                    {xOut, y},
                                    {xIn, y},
                                    {xIn, port.in[e]},
                                    {metrics.left(target), port.in[e]}},
                                   10);
        const QRectF rect(QPointF((xIn + xOut - labelSize.width()) / 2, y - labelSize.height() / 2),
                          labelSize);
        const bool clear = std::none_of(below.begin(), below.end(), [&](const QRectF &other) {
            return other.intersects(rect.adjusted(-2, -2, 2, 2));
        });
        if (xOut - xIn >= labelSize.width() + 2 * Metrics::LabelMargin && clear) {
            below.push_back(rect);
            result.labels[e] = rect;
        }
    }
}

std::vector<LayeredLayout::GroupBox> groupBoxes(const Columns &columns, const Metrics &metrics)
{
    std::vector<LayeredLayout::GroupBox> boxes;
    for (std::size_t c = 0; c < columns.items.size(); ++c) {
        int group = -1;
        double top = 0;
        double bottom = 0;
        const auto close = [&] {
            if (group >= 0)
                boxes.push_back(
                    {group,
                     QRectF(QPointF(metrics.left(int(c)) - BoxPadding, top - BoxPadding - BoxTitle),
                            QPointF(metrics.right(int(c)) + BoxPadding,
                                    bottom + Metrics::Badge + BoxPadding))});
            group = -1;
        };
        for (const int item : columns.items[c]) {
            if (columns.isLane(item))
                continue; // a lane passing between two cards of a group stays in its box
            const double y = columns.y[at(item)];
            if (columns.groupOf[at(item)] != group) {
                close();
                group = columns.groupOf[at(item)];
                top = y - metrics.height / 2;
            }
            bottom = y + metrics.height / 2;
        }
        close();
    }
    return boxes;
}

} // namespace meshscope::ui::layout
