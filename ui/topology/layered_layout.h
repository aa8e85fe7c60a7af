#pragma once

#include <QPointF>
#include <QSizeF>

#include <utility>
#include <vector>

namespace meshscope::ui {

// A layered left-to-right layout (Sugiyama, kept simple): callers left of their callees.
// Cycles are broken by the first-found back edges; layers by longest path from the sources;
// the order within a layer by barycenters, a few sweeps each way; nodes without edges sit in
// the first layer. Deterministic: the same input always gives the same picture, so a refresh
// that changes only figures never moves a node. Pure computation, no Qt widgets.
struct LayeredLayout {
    struct Input {
        int nodeCount = 0;
        std::vector<std::pair<int, int>> edges; // (caller, callee), by node index
        QSizeF nodeSize {170, 56};
        QSizeF gap {180, 34}; // between layers (room for an edge label), between nodes of a layer
        double aspect
            = 16.0 / 9.0; // of the picture wanted: tall layers fold into columns to approach it
    };
    struct Result {
        std::vector<QPointF> positions; // top-left corner of each node
        std::vector<int> layers; // each node's layer
        int layerCount = 0;
    };

    static Result compute(const Input &input);
};

} // namespace meshscope::ui
