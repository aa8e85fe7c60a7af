#pragma once

#include <cstdint>
#include <random>

namespace meshcore::proxy {

// The proxy's dice: fault percentages and retry jitter. One per connection (not thread-safe);
// a test seeds it to replay the same throws.
class Chance {
public:
    explicit Chance(std::uint32_t seed = std::random_device {}())
        : m_random(seed)
    {
    }
    // True `percent` times in 100 (never for 0, always for 100).
    bool percent(double percent) { return between(0, 100) < percent; }
    // Uniform in [low, high).
    double between(double low, double high)
    {
        return std::uniform_real_distribution<double>(low, high)(m_random);
    }

private:
    std::minstd_rand m_random;
};

} // namespace meshcore::proxy
