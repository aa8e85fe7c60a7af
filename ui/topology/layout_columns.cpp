// The columns of the layered layout: lanes for the edges passing a column, the order of each
// column, and the vertical positions.
#include <algorithm>
#include <numeric>

#include "ui/topology/layout_steps.h"

namespace meshscope::ui::layout {
namespace {

std::size_t at(int i)
{
    return static_cast<std::size_t>(i);
}

int addItem(Columns &columns, int column, int group)
{
    const int item = static_cast<int>(columns.columnOf.size());
    columns.columnOf.push_back(column);
    columns.groupOf.push_back(group);
    columns.left.emplace_back();
    columns.right.emplace_back();
    columns.items[at(column)].push_back(item);
    return item;
}

void link(Columns &columns, int from, int to)
{
    columns.right[at(from)].push_back(to);
    columns.left[at(to)].push_back(from);
}

// Sorts a column by the barycenters of its neighbours on one side; a group's cards stay
// together, as one block at the mean of their barycenters.
void sortColumn(Columns &columns, std::vector<int> &column, const Layers &neighbours,
                std::vector<double> &position)
{
    std::vector<double> key(column.size());
    for (std::size_t i = 0; i < column.size(); ++i) {
        const auto &adjacent = neighbours[at(column[i])];
        key[i] = position[at(column[i])];
        if (!adjacent.empty()) {
            double sum = 0;
            for (const int w : adjacent)
                sum += position[at(w)];
            key[i] = sum / static_cast<double>(adjacent.size());
        }
    }
    std::vector<std::size_t> order(column.size());
    std::iota(order.begin(), order.end(), 0);
    std::vector<double> primary(key);
    if (std::any_of(column.begin(), column.end(),
                    [&](int item) { return columns.groupOf[at(item)] >= 0; })) {
        std::vector<std::pair<double, int>> sums; // by group index
        for (std::size_t i = 0; i < column.size(); ++i) {
            const int group = columns.groupOf[at(column[i])];
            if (group < 0)
                continue;
            if (sums.size() <= at(group))
                sums.resize(at(group) + 1, {0.0, 0});
            sums[at(group)].first += key[i];
            sums[at(group)].second += 1;
        }
        for (std::size_t i = 0; i < column.size(); ++i)
            if (const int group = columns.groupOf[at(column[i])]; group >= 0)
                primary[i] = sums[at(group)].first / sums[at(group)].second;
    }
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (primary[a] != primary[b])
            return primary[a] < primary[b];
        const int groupA = columns.groupOf[at(column[a])];
        const int groupB = columns.groupOf[at(column[b])];
        if (groupA != groupB)
            return groupA < groupB;
        return key[a] < key[b];
    });
    std::vector<int> sorted(column.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        sorted[i] = column[order[i]];
    column = std::move(sorted);
    for (std::size_t i = 0; i < column.size(); ++i)
        position[at(column[i])] = static_cast<double>(i);
}

// The least distance between the centres of two items next to each other in a column.
double separation(const Columns &columns, const Metrics &metrics, int above, int below)
{
    const bool laneA = columns.isLane(above);
    const bool laneB = columns.isLane(below);
    if (laneA && laneB)
        return Metrics::LaneSpacing;
    if (laneA || laneB)
        return metrics.height / 2 + Metrics::LaneGap + (laneA ? Metrics::Badge : 0);
    const int groupA = columns.groupOf[at(above)];
    const int groupB = columns.groupOf[at(below)];
    return metrics.height + Metrics::Badge + metrics.cardGap
        + (groupA != groupB ? Metrics::GroupGap : 0);
}

void settle(Columns &columns, const Metrics &metrics, const std::vector<int> &column,
            const std::vector<double> &wanted)
{
    std::vector<double> apart(column.size(), 0);
    for (std::size_t i = 1; i < column.size(); ++i)
        apart[i] = separation(columns, metrics, column[i - 1], column[i]);
    const auto y = settleInOrder(wanted, apart);
    for (std::size_t i = 0; i < column.size(); ++i)
        columns.y[at(column[i])] = y[i];
}

// Each item towards the mean of its neighbours on one side (or both).
void pull(Columns &columns, const Metrics &metrics, const std::vector<int> &column, bool fromLeft,
          bool fromRight)
{
    std::vector<double> wanted(column.size());
    for (std::size_t i = 0; i < column.size(); ++i) {
        double sum = 0;
        int count = 0;
        for (int side = 0; side < 2; ++side) {
            if ((side == 0 && !fromLeft) || (side == 1 && !fromRight))
                continue;
            for (const int w : (side == 0 ? columns.left : columns.right)[at(column[i])]) {
                sum += columns.y[at(w)];
                ++count;
            }
        }
        wanted[i] = count ? sum / count : columns.y[at(column[i])];
    }
    settle(columns, metrics, column, wanted);
}

// Sweeps each way: four for a mesh one reads card by card, two for a big one (seen whole, and
// laid out while the user waits).
int rounds(const Columns &columns)
{
    return columns.columnOf.size() > 4000 ? 2 : 4;
}

} // namespace

// Isotonic regression by pooling adjacent violators, on the positions less their offsets.
std::vector<double> settleInOrder(const std::vector<double> &wanted,
                                  const std::vector<double> &separation)
{
    std::vector<double> offset(wanted.size(), 0);
    for (std::size_t i = 1; i < wanted.size(); ++i)
        offset[i] = offset[i - 1] + separation[i];
    struct Block {
        double sum;
        double count;
        std::size_t end;
    };
    std::vector<Block> blocks;
    for (std::size_t i = 0; i < wanted.size(); ++i) {
        blocks.push_back({wanted[i] - offset[i], 1, i + 1});
        while (blocks.size() > 1
               && blocks[blocks.size() - 2].sum / blocks[blocks.size() - 2].count
                   > blocks.back().sum / blocks.back().count) {
            const Block last = blocks.back();
            blocks.pop_back();
            blocks.back().sum += last.sum;
            blocks.back().count += last.count;
            blocks.back().end = last.end;
        }
    }
    std::vector<double> placed(wanted.size());
    std::size_t i = 0;
    for (const auto &block : blocks)
        for (; i < block.end; ++i)
            placed[i] = block.sum / block.count + offset[i];
    return placed;
}

Columns buildColumns(const LayeredLayout::Input &input, const std::vector<int> &columnOfNode,
                     const Layers &columnOrder, const std::vector<bool> &back)
{
    Columns columns;
    columns.realCount = input.nodeCount;
    columns.items.resize(columnOrder.size());
    columns.columnOf = columnOfNode;
    columns.groupOf.assign(at(input.nodeCount), -1);
    if (!input.groups.empty())
        columns.groupOf = input.groups;
    columns.left.resize(at(input.nodeCount));
    columns.right.resize(at(input.nodeCount));
    columns.items = columnOrder;
    columns.chains.resize(input.edges.size());
    for (std::size_t e = 0; e < input.edges.size(); ++e) {
        const auto [from, to] = input.edges[e];
        if (back[e] || from == to)
            continue; // routed around the cards, no lanes
        auto &chain = columns.chains[e];
        chain.push_back(from);
        for (int c = columnOfNode[at(from)] + 1; c < columnOfNode[at(to)]; ++c)
            chain.push_back(addItem(columns, c, -1));
        chain.push_back(to);
        for (std::size_t i = 1; i < chain.size(); ++i)
            link(columns, chain[i - 1], chain[i]);
    }
    return columns;
}

void orderColumns(Columns &columns)
{
    std::vector<double> position(columns.columnOf.size(), 0);
    for (auto &column : columns.items)
        for (std::size_t i = 0; i < column.size(); ++i)
            position[at(column[i])] = static_cast<double>(i);
    const std::size_t count = columns.items.size();
    for (int round = 0; round < rounds(columns); ++round) {
        for (std::size_t c = 1; c < count; ++c)
            sortColumn(columns, columns.items[c], columns.left, position);
        for (std::size_t c = count - 1; c-- > 0;)
            sortColumn(columns, columns.items[c], columns.right, position);
    }
}

void placeVertically(Columns &columns, const Metrics &metrics, double aspect)
{
    columns.y.assign(columns.columnOf.size(), 0);
    double top = 0;
    double bottom = 0;
    for (const auto &column : columns.items) {
        double y = 0;
        for (std::size_t i = 0; i < column.size(); ++i) {
            if (i > 0)
                y += separation(columns, metrics, column[i - 1], column[i]);
            columns.y[at(column[i])] = y;
        }
        for (const int item : column)
            columns.y[at(item)] -= y / 2; // centred
    }
    const std::size_t count = columns.items.size();
    for (int round = 0; round < rounds(columns); ++round) {
        for (std::size_t c = 1; c < count; ++c)
            pull(columns, metrics, columns.items[c], true, false);
        for (std::size_t c = count - 1; c-- > 0;)
            pull(columns, metrics, columns.items[c], false, true);
    }
    for (const auto &column : columns.items)
        pull(columns, metrics, column, true, true);
    for (const auto &column : columns.items)
        if (!column.empty()) {
            top = std::min(top, columns.y[at(column.front())]);
            bottom = std::max(bottom, columns.y[at(column.back())]);
        }
    // A picture much wider than the window's shape spreads its rows: the height is there.
    const double width = static_cast<double>(count) * metrics.pitch();
    const double height = bottom - top + metrics.height;
    const double spread
        = std::clamp(width / aspect / std::max(height, 1.0), 1.0, Metrics::MaxSpread);
    if (spread > 1)
        for (auto &y : columns.y)
            y *= spread;
}

} // namespace meshscope::ui::layout
