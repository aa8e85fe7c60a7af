#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

namespace meshcore::telemetry {

// Names a client can make up (the hosts of requests to services nobody knows), kept to a bounded
// set so that metrics, the topology and memory stay bounded whatever clients send: the first
// `capacity` distinct names are kept as they are, and every later one is counted under Other.
// Real services never pass through it, so they always get their series. Thread-safe.
class BoundedNames {
public:
    // Not a host name (hosts have no parentheses): it cannot collide with a name a client sends.
    static constexpr std::string_view Other = "(other)";
    static constexpr std::size_t DefaultCapacity = 100;

    explicit BoundedNames(std::size_t capacity = DefaultCapacity)
        : m_capacity(capacity)
    {
    }

    // `name` if it is one of the kept names or there is room for it, else Other.
    std::string admit(std::string_view name);
    std::size_t size() const;

private:
    const std::size_t m_capacity;
    mutable std::mutex m_mutex;
    std::unordered_set<std::string> m_names;
};

} // namespace meshcore::telemetry
