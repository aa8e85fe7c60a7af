#include "ui/topology/layered_layout.h"

#include <algorithm>
#include <cmath>

#include "ui/topology/layout_steps.h"

namespace meshscope::ui {
namespace layout {

std::vector<bool> backEdges(int n, const std::vector<std::pair<int, int>> &edges)
{
    std::vector<std::vector<int>> out(static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < edges.size(); ++i)
        out[static_cast<std::size_t>(edges[i].first)].push_back(static_cast<int>(i));
    enum : char { White, Grey, Black };
    std::vector<char> colour(static_cast<std::size_t>(n), White);
    std::vector<bool> back(edges.size(), false);
    std::vector<std::pair<int, std::size_t>> stack; // node, next out-edge
    for (int root = 0; root < n; ++root) {
        if (colour[static_cast<std::size_t>(root)] != White)
            continue;
        stack.push_back({root, 0});
        colour[static_cast<std::size_t>(root)] = Grey;
        while (!stack.empty()) {
            auto &[node, next] = stack.back();
            const auto &edgesOut = out[static_cast<std::size_t>(node)];
            if (next == edgesOut.size()) {
                colour[static_cast<std::size_t>(node)] = Black;
                stack.pop_back();
                continue;
            }
            const int e = edgesOut[next++];
            const int to = edges[static_cast<std::size_t>(e)].second;
            if (colour[static_cast<std::size_t>(to)] == Grey)
                back[static_cast<std::size_t>(e)] = true; // closes a cycle (or loops)
            else if (colour[static_cast<std::size_t>(to)] == White) {
                colour[static_cast<std::size_t>(to)] = Grey;
                stack.push_back({to, 0});
            }
        }
    }
    return back;
}

Metrics::Metrics(const LayeredLayout::Input &input)
    : width(input.nodeSize.width())
    , height(input.nodeSize.height())
    , cardGap(input.gap.height())
    , columnGap(input.labelSize.width())
{
    for (const auto &size : input.labelSizes)
        columnGap = std::max(columnGap, size.width());
    columnGap += input.gap.width() + 2 * LabelMargin;
}

} // namespace layout

namespace {

using layout::Metrics;

// The DAG of the edges with the back edges turned around (self loops left out).
std::vector<std::pair<int, int>> acyclic(const std::vector<std::pair<int, int>> &edges,
                                         const std::vector<bool> &back)
{
    std::vector<std::pair<int, int>> dag;
    dag.reserve(edges.size());
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const auto [from, to] = edges[i];
        if (from != to)
            dag.push_back(back[i] ? std::make_pair(to, from) : edges[i]);
    }
    return dag;
}

using layout::Layers;

// Each node's layer: the longest path to it from the sources, in topological order (Kahn).
std::vector<int> longestPathLayers(int n, const Layers &successors, const Layers &predecessors)
{
    std::vector<int> layerOf(static_cast<std::size_t>(n), 0);
    std::vector<int> inDegree(static_cast<std::size_t>(n), 0);
    for (int v = 0; v < n; ++v)
        inDegree[static_cast<std::size_t>(v)]
            = static_cast<int>(predecessors[static_cast<std::size_t>(v)].size());
    std::vector<int> ready;
    for (int v = 0; v < n; ++v)
        if (inDegree[static_cast<std::size_t>(v)] == 0)
            ready.push_back(v);
    for (std::size_t i = 0; i < ready.size(); ++i) {
        const int v = ready[i];
        for (const int w : successors[static_cast<std::size_t>(v)]) {
            auto &layer = layerOf[static_cast<std::size_t>(w)];
            layer = std::max(layer, layerOf[static_cast<std::size_t>(v)] + 1);
            if (--inDegree[static_cast<std::size_t>(w)] == 0)
                ready.push_back(w);
        }
    }
    return layerOf;
}

// The nodes of each layer in order: the input order first, then barycenter sweeps.
Layers orderedLayers(int n, const std::vector<int> &layerOf, int layerCount,
                     const Layers &successors, const Layers &predecessors)
{
    Layers layers(static_cast<std::size_t>(layerCount));
    for (int v = 0; v < n; ++v)
        layers[static_cast<std::size_t>(layerOf[static_cast<std::size_t>(v)])].push_back(v);
    std::vector<double> position(static_cast<std::size_t>(n), 0);
    const auto renumber = [&](const std::vector<int> &layer) {
        for (std::size_t i = 0; i < layer.size(); ++i)
            position[static_cast<std::size_t>(layer[i])] = static_cast<double>(i);
    };
    for (const auto &layer : layers)
        renumber(layer);
    const auto sweep = [&](std::vector<int> &layer, const Layers &neighbours) {
        std::vector<std::pair<double, int>> keyed;
        keyed.reserve(layer.size());
        for (const int v : layer) {
            const auto &adjacent = neighbours[static_cast<std::size_t>(v)];
            double barycenter = position[static_cast<std::size_t>(v)];
            if (!adjacent.empty()) {
                double sum = 0;
                for (const int w : adjacent)
                    sum += position[static_cast<std::size_t>(w)];
                barycenter = sum / static_cast<double>(adjacent.size());
            }
            keyed.push_back({barycenter, v});
        }
        std::stable_sort(keyed.begin(), keyed.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        for (std::size_t i = 0; i < layer.size(); ++i)
            layer[i] = keyed[i].second;
        renumber(layer);
    };
    for (int round = 0; round < 2; ++round) { // the columns' sweeps finish the order
        for (std::size_t l = 1; l < layers.size(); ++l)
            sweep(layers[l], predecessors);
        for (std::size_t l = layers.size() - 1; l-- > 0;)
            sweep(layers[l], successors);
    }
    return layers;
}

// Each node's column when a layer folds into columns of at most `rows` cards: node i of a layer
// goes to fold i % folds, so neighbours in the order stay close. Returns the column count.
int foldColumns(const Layers &layers, std::size_t rows, std::vector<int> &columnOf)
{
    int column = 0;
    for (const auto &layer : layers) {
        const std::size_t folds = std::max<std::size_t>(1, (layer.size() + rows - 1) / rows);
        for (std::size_t i = 0; i < layer.size(); ++i)
            columnOf[static_cast<std::size_t>(layer[i])] = column + static_cast<int>(i % folds);
        column += static_cast<int>(folds);
    }
    return column;
}

// How many rows a column holds: the count whose picture is nearest `aspect`, counting the lanes
// the edges passing a column need there besides its cards. Folding more makes edges pass more
// columns: a fold whose lanes would exceed a budget (a few per edge) is not taken, so a big mesh
// stays fast to lay out (it is seen as the overview anyway).
std::size_t rowsPerColumn(const Layers &layers, const std::vector<std::pair<int, int>> &dag,
                          const Metrics &metrics, double aspect, std::vector<int> &columnOf)
{
    std::size_t tallest = 1;
    for (const auto &layer : layers)
        tallest = std::max(tallest, layer.size());
    const double rowHeight = metrics.height + Metrics::Badge + metrics.cardGap;
    const double laneBudget = std::max(2000.0, 1.0 * static_cast<double>(dag.size()));
    std::size_t best = tallest;
    double bestMismatch = 1e300;
    std::vector<double> columnHeight;
    std::vector<double> lanes;
    // Every count up to 40 rows, then in steps of a tenth (the pictures differ little there).
    for (std::size_t rows = std::min<std::size_t>(tallest, 6); rows <= tallest;
         rows = rows < 40 ? rows + 1 : std::min(tallest + 1, rows + rows / 10)) {
        const int columns = foldColumns(layers, rows, columnOf);
        columnHeight.assign(static_cast<std::size_t>(columns) + 1, 0);
        lanes.assign(static_cast<std::size_t>(columns) + 1, 0); // differences
        for (const auto &layer : layers)
            for (const int v : layer)
                columnHeight[static_cast<std::size_t>(columnOf[static_cast<std::size_t>(v)])]
                    += rowHeight;
        for (const auto &[from, to] : dag) {
            lanes[static_cast<std::size_t>(columnOf[static_cast<std::size_t>(from)]) + 1] += 1;
            lanes[static_cast<std::size_t>(columnOf[static_cast<std::size_t>(to)])] -= 1;
        }
        double passing = 0;
        double total = 0;
        double tallestColumn = 0;
        for (std::size_t c = 0; c < static_cast<std::size_t>(columns); ++c) {
            passing += lanes[c];
            total += passing;
            tallestColumn
                = std::max(tallestColumn, columnHeight[c] + passing * Metrics::LaneSpacing);
        }
        const double picture = columns * metrics.pitch() / tallestColumn;
        const double mismatch = std::abs(std::log(picture / aspect));
        if (total <= laneBudget && mismatch < bestMismatch - 1e-9) {
            bestMismatch = mismatch;
            best = rows;
        }
    }
    foldColumns(layers, best, columnOf);
    return best;
}

// The nodes of each column, in their layer's order.
Layers columnOrder(const Layers &layers, const std::vector<int> &columnOf)
{
    int columns = 0;
    for (const int c : columnOf)
        columns = std::max(columns, c + 1);
    Layers order(static_cast<std::size_t>(columns));
    for (const auto &layer : layers)
        for (const int v : layer)
            order[static_cast<std::size_t>(columnOf[static_cast<std::size_t>(v)])].push_back(v);
    return order;
}

} // namespace

LayeredLayout::Result LayeredLayout::compute(const Input &input)
{
    const int n = input.nodeCount;
    Result result;
    result.positions.resize(static_cast<std::size_t>(n));
    result.layers.assign(static_cast<std::size_t>(n), 0);
    result.columns.assign(static_cast<std::size_t>(n), 0);
    result.routes.resize(input.edges.size());
    result.labels.resize(input.edges.size());
    if (n == 0)
        return result;
    const auto back = layout::backEdges(n, input.edges);
    const auto dag = acyclic(input.edges, back);
    Layers successors(static_cast<std::size_t>(n));
    Layers predecessors(static_cast<std::size_t>(n));
    for (const auto &[from, to] : dag) {
        successors[static_cast<std::size_t>(from)].push_back(to);
        predecessors[static_cast<std::size_t>(to)].push_back(from);
    }
    result.layers = longestPathLayers(n, successors, predecessors);
    result.layerCount = 1 + *std::max_element(result.layers.begin(), result.layers.end());
    const Layers layers
        = orderedLayers(n, result.layers, result.layerCount, successors, predecessors);

    const Metrics metrics(input);
    rowsPerColumn(layers, dag, metrics, input.aspect, result.columns);
    auto columns
        = layout::buildColumns(input, result.columns, columnOrder(layers, result.columns), back);
    layout::orderColumns(columns);
    layout::placeVertically(columns, metrics, input.aspect);
    for (int v = 0; v < n; ++v)
        result.positions[static_cast<std::size_t>(v)]
            = QPointF(metrics.left(result.columns[static_cast<std::size_t>(v)]),
                      columns.y[static_cast<std::size_t>(v)] - metrics.height / 2);
    layout::routeEdges(input, columns, metrics, result);
    if (!input.groups.empty())
        result.groupBoxes = layout::groupBoxes(columns, metrics);
    return result;
}

QPolygonF LayeredLayout::directRoute(const QPointF &from, const QPointF &to, double nodeHeight)
{
    const double reach = std::max(60.0, std::abs(to.x() - from.x()) / 2);
    QPointF c1 = from + QPointF(reach, 0);
    QPointF c2 = to - QPointF(reach, 0);
    if (to.x() <= from.x() + 20) { // back to an earlier column: a loop below both
        const double below = std::max(from.y(), to.y()) + nodeHeight;
        c1 = from + QPointF(reach, below - from.y());
        c2 = to - QPointF(reach, to.y() - below);
    }
    QPolygonF route;
    constexpr int Samples = 32;
    for (int i = 0; i <= Samples; ++i) {
        const double t = static_cast<double>(i) / Samples;
        const double u = 1 - t;
        route << from * (u * u * u) + c1 * (3 * u * u * t) + c2 * (3 * u * t * t)
                + to * (t * t * t);
    }
    return route;
}

} // namespace meshscope::ui
