#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

namespace meshcore::policy {

// Smooth weighted round robin (as nginx spreads upstream weights): over any run of requests each
// choice's share matches its weight as closely as whole requests allow (a 90/10 split sends
// exactly 1 in 10 to the second), interleaved rather than in bursts. Not thread-safe.
class WeightedSplit {
public:
    explicit WeightedSplit(std::vector<unsigned> weights);

    // New weights for the same choices; the next picks follow them at once.
    void setWeights(std::vector<unsigned> weights);
    const std::vector<unsigned> &weights() const { return m_weights; }

    // The next choice among those with a weight and `usable`; nothing if there is none.
    std::optional<std::size_t> next(const std::function<bool(std::size_t)> &usable);

private:
    std::vector<unsigned> m_weights;
    std::vector<long long> m_current;
};

} // namespace meshcore::policy
