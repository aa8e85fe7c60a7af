#include "policy/weighted_split.h"

namespace meshcore::policy {

WeightedSplit::WeightedSplit(std::vector<unsigned> weights)
    : m_weights(std::move(weights))
    , m_current(m_weights.size(), 0)
{
}

void WeightedSplit::setWeights(std::vector<unsigned> weights)
{
    m_weights = std::move(weights);
    m_current.assign(m_weights.size(), 0);
}

std::optional<std::size_t> WeightedSplit::next(const std::function<bool(std::size_t)> &usable)
{
    long long total = 0;
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < m_weights.size(); ++i) {
        if (m_weights[i] == 0 || !usable(i))
            continue;
        m_current[i] += m_weights[i];
        total += m_weights[i];
        if (!best || m_current[i] > m_current[*best])
            best = i;
    }
    if (best)
        m_current[*best] -= total;
    return best;
}

} // namespace meshcore::policy
