#include "ui/topology/layered_layout.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace meshscope::ui {
namespace {

// Edges with the back edges of a depth-first walk turned around: a DAG with the same nodes.
std::vector<std::pair<int, int>> acyclic(int n, const std::vector<std::pair<int, int>> &edges)
{
    std::vector<std::vector<int>> out(static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < edges.size(); ++i)
        out[static_cast<std::size_t>(edges[i].first)].push_back(static_cast<int>(i));
    enum : char { White, Grey, Black };
    std::vector<char> colour(static_cast<std::size_t>(n), White);
    std::vector<bool> reversed(edges.size(), false);
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
                reversed[static_cast<std::size_t>(e)] = true; // closes a cycle
            else if (colour[static_cast<std::size_t>(to)] == White) {
                colour[static_cast<std::size_t>(to)] = Grey;
                stack.push_back({to, 0});
            }
        }
    }
    std::vector<std::pair<int, int>> dag;
    dag.reserve(edges.size());
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const auto [from, to] = edges[i];
        if (from == to)
            continue;
        dag.push_back(reversed[i] ? std::make_pair(to, from) : edges[i]);
    }
    return dag;
}

using Layers = std::vector<std::vector<int>>;

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
    for (int round = 0; round < 4; ++round) {
        for (std::size_t l = 1; l < layers.size(); ++l)
            sweep(layers[l], predecessors);
        for (std::size_t l = layers.size() - 1; l-- > 0;)
            sweep(layers[l], successors);
    }
    return layers;
}

// How many rows a column holds: a layer taller than that folds into several columns, so a big
// mesh fills a wide window instead of a thin strip. The count whose picture is nearest `aspect`.
std::size_t rowsPerColumn(const Layers &layers, double columnWidth, double rowHeight, double aspect)
{
    std::size_t tallest = 1;
    for (const auto &layer : layers)
        tallest = std::max(tallest, layer.size());
    const auto columnsFor = [&](std::size_t rows) {
        std::size_t columns = 0;
        for (const auto &layer : layers)
            columns += (layer.size() + rows - 1) / rows;
        return columns;
    };
    std::size_t rows = tallest;
    double bestMismatch = 1e300;
    for (std::size_t r = std::min<std::size_t>(tallest, 6); r <= tallest; ++r) {
        const double picture = static_cast<double>(columnsFor(r)) * columnWidth
            / (static_cast<double>(r) * rowHeight);
        const double mismatch = std::abs(std::log(picture / aspect));
        if (mismatch < bestMismatch - 1e-9) {
            bestMismatch = mismatch;
            rows = r;
        }
    }
    return rows;
}

} // namespace

LayeredLayout::Result LayeredLayout::compute(const Input &input)
{
    const int n = input.nodeCount;
    Result result;
    result.positions.resize(static_cast<std::size_t>(n));
    result.layers.assign(static_cast<std::size_t>(n), 0);
    if (n == 0)
        return result;
    Layers successors(static_cast<std::size_t>(n));
    Layers predecessors(static_cast<std::size_t>(n));
    for (const auto &[from, to] : acyclic(n, input.edges)) {
        successors[static_cast<std::size_t>(from)].push_back(to);
        predecessors[static_cast<std::size_t>(to)].push_back(from);
    }
    result.layers = longestPathLayers(n, successors, predecessors);
    result.layerCount = 1 + *std::max_element(result.layers.begin(), result.layers.end());
    const Layers layers
        = orderedLayers(n, result.layers, result.layerCount, successors, predecessors);

    // Coordinates: layers left to right, each centred vertically, tall ones folded into columns.
    const double columnWidth = input.nodeSize.width() + input.gap.width();
    const double rowHeight = input.nodeSize.height() + input.gap.height();
    const std::size_t rows = rowsPerColumn(layers, columnWidth, rowHeight, input.aspect);
    std::size_t column = 0;
    for (const auto &layer : layers) {
        const std::size_t folds = (layer.size() + rows - 1) / rows;
        for (std::size_t i = 0; i < layer.size(); ++i) {
            // Node i of the layer goes to fold i % folds, so neighbours in the order stay close.
            const std::size_t fold = i % folds;
            const std::size_t row = i / folds;
            const std::size_t inColumn = (layer.size() - fold + folds - 1) / folds;
            const double top = -static_cast<double>(inColumn) * rowHeight / 2;
            result.positions[static_cast<std::size_t>(layer[i])]
                = QPointF(static_cast<double>(column + fold) * columnWidth,
                          top + static_cast<double>(row) * rowHeight);
        }
        column += std::max<std::size_t>(folds, 1);
    }
    return result;
}

} // namespace meshscope::ui
