#pragma once

#include <QPointF>
#include <QPolygonF>
#include <QRectF>
#include <QSizeF>

#include <utility>
#include <vector>

namespace meshscope::ui {

// A layered left-to-right layout (Sugiyama): callers left of their callees, and every edge
// routed so that it crosses no card but its two ends and its label covers no card.
// Cycles are broken by the first-found back edges; layers by longest path from the sources; a
// layer taller than the picture's aspect allows folds into several columns. An edge spanning
// several columns gets a virtual node (a lane between two cards) in each column it passes, so
// it runs through the gaps between cards; the order within a column is by barycenters, a few
// sweeps each way, with each group (namespace) kept together; vertical positions pull every
// item towards its neighbours without overlaps. Between two columns an edge is a smooth curve
// in the gap, where no card is; its label sits on a straight stretch of it in a gap. Back edges
// (to an earlier column, or to itself) run below every card of the columns they span.
// Deterministic: the same input always gives the same picture, so a refresh that changes only
// figures never moves a node. Pure computation, no Qt widgets.
struct LayeredLayout {
    struct Input {
        int nodeCount = 0;
        std::vector<std::pair<int, int>> edges; // (caller, callee), by node index
        std::vector<int> groups; // each node's group (namespace), -1 for none; may be empty
        QSizeF nodeSize {170, 56};
        QSizeF gap {80, 34}; // least room between columns (beyond a label's), between cards
        QSizeF labelSize {112, 66}; // what an edge's label needs, on a stretch in a gap
        std::vector<QSizeF> labelSizes; // per edge, where one needs another size; may be empty
        double aspect = 16.0 / 9.0; // of the picture wanted: tall layers fold, short ones spread
    };
    struct GroupBox {
        int group = -1;
        QRectF rect; // behind the group's cards of one column, with room for its title on top
    };
    struct Result {
        std::vector<QPointF> positions; // top-left corner of each node
        std::vector<int> layers; // each node's layer
        std::vector<int> columns; // each node's column
        int layerCount = 0;
        std::vector<QPolygonF>
            routes; // per edge: from the caller's right side to the callee's left
        std::vector<QRectF> labels; // per edge: its label's place, empty where none fits
        std::vector<GroupBox> groupBoxes;
    };

    static Result compute(const Input &input);
    // The simple route for an edge whose ends were moved by hand: one curve, no guarantee.
    static QPolygonF directRoute(const QPointF &from, const QPointF &to, double nodeHeight);
};

} // namespace meshscope::ui
