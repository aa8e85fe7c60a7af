#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace meshcore {

// What just happened in the mesh, newest last: config loads, certificate rotations, breaker
// trips and recoveries, restarts of supervised processes, split changes. Keeps the last
// `capacity` events; each has a sequence number so readers can ask for what is new.
// Thread-safe.
class EventLog {
public:
    struct Event {
        std::uint64_t seq = 0;
        std::int64_t unixMs = 0;
        std::string kind; // "start", "reload", "rotation", "breaker", "restart", "split", ...
        std::string subject; // what it is about: a pod, a service, the CA
        std::string message; // one sentence
    };

    explicit EventLog(std::size_t capacity = 1000)
        : m_capacity(capacity)
    {
    }

    void add(std::string kind, std::string subject, std::string message);
    // Events with seq > `after`, oldest first.
    std::vector<Event> since(std::uint64_t after) const;

private:
    const std::size_t m_capacity;
    mutable std::mutex m_mutex;
    std::deque<Event> m_events;
    std::uint64_t m_next = 1;
};

} // namespace meshcore
