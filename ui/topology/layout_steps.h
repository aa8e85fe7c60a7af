#pragma once

// The steps of LayeredLayout::compute, in the order it runs them (one file each).

#include <vector>

#include "ui/topology/layered_layout.h"

namespace meshscope::ui::layout {

using Layers = std::vector<std::vector<int>>;

// Sizes and spacings of the picture, from the input.
struct Metrics {
    static constexpr double LabelMargin = 10; // between a label and the ends of its gap
    static constexpr double LaneGap = 12; // between a card and a lane passing it
    static constexpr double LaneSpacing = 9; // between two lanes
    static constexpr double GroupGap = 30; // more between cards of two groups (their boxes)
    static constexpr double Badge = 8; // a rollout's pill hangs below the card
    static constexpr double MaxSpread = 2.5; // a wide picture's rows spread at most this much

    explicit Metrics(const LayeredLayout::Input &input);
    double width;
    double height;
    double cardGap;
    double columnGap; // room for the widest label and a curve
    double pitch() const { return width + columnGap; }
    double left(int column) const { return column * pitch(); }
    double right(int column) const { return left(column) + width; }
};

// The graph as the router sees it: real nodes 0..n-1 first, then virtual nodes (lanes), one
// per column a forward edge passes without stopping.
struct Columns {
    int realCount = 0;
    std::vector<int> columnOf; // per item
    std::vector<int> groupOf; // per item, -1 for lanes and ungrouped nodes
    Layers items; // per column, top to bottom
    Layers left; // per item: its neighbours in the previous column
    Layers right; // in the next one
    std::vector<double> y; // per item: its centre
    Layers chains; // per input edge: its items from caller to callee; empty for a back edge
    bool isLane(int item) const { return item >= realCount; }
};

// layered_layout.cpp: which edges a depth-first walk turns around to break the cycles (self
// loops included), each node's layer, and the column of each node once tall layers fold.
std::vector<bool> backEdges(int n, const std::vector<std::pair<int, int>> &edges);

// layout_columns.cpp
// The positions nearest `wanted` (least squares) that keep their order with at least
// `separation[i]` between i - 1 and i.
std::vector<double> settleInOrder(const std::vector<double> &wanted,
                                  const std::vector<double> &separation);
Columns buildColumns(const LayeredLayout::Input &input, const std::vector<int> &columnOfNode,
                     const Layers &columnOrder, const std::vector<bool> &back);
void orderColumns(Columns &columns);
void placeVertically(Columns &columns, const Metrics &metrics, double aspect);

// edge_routes.cpp
void routeEdges(const LayeredLayout::Input &input, const Columns &columns, const Metrics &metrics,
                LayeredLayout::Result &result);
std::vector<LayeredLayout::GroupBox> groupBoxes(const Columns &columns, const Metrics &metrics);

} // namespace meshscope::ui::layout
