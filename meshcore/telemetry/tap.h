#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace meshcore::telemetry {

// One request as the tap shows it (Linkerd's `tap`): who called whom, what, and how it ended.
struct TapEvent {
    std::int64_t unixMs = 0; // when the request arrived at the caller's outbound proxy
    std::string sourcePod;   // "frontend-v1-0", or "local-client"
    std::string sourceService;
    std::string sourceIdentity;
    std::string destinationService; // "catalog.shop"; the name asked for when unknown
    std::string destinationPod;     // the replica that answered ("" when none did)
    std::string destinationIdentity;
    std::string method;
    std::string authority;
    std::string path;
    std::string route; // the route it matched, "default" when none
    unsigned status = 0;
    double latencyMs = 0;
    bool mtls = false;     // whether it left over mTLS to a verified identity
    std::string error;     // what the proxy answered itself: "timeout", "unavailable", "unknown-service"...
    unsigned retries = 0;
};

// What a tap subscriber wants to see; an empty field matches everything.
struct TapFilter {
    std::string service;    // destination service, "catalog" or "catalog.shop"
    std::string from;       // source service, same forms
    std::string route;
    std::string pathPrefix;
    std::string method;
    unsigned statusClass = 0; // 2 for 2xx ... 5 for 5xx; 0: any

    bool matches(const TapEvent &event) const;
};

// "5xx" -> 5, "" -> 0; nullopt for anything else.
std::optional<unsigned> parseStatusClass(const std::string &text);

// Hands finished requests to the taps that are open. Publishing is one relaxed atomic load when
// nobody taps, so the data plane pays nothing for the feature it does not use. A subscriber that
// reads too slowly loses the oldest events and is told how many.
// Thread: publish() from any data-plane thread; a Subscription is read by one thread.
class TapHub {
public:
    class Subscription {
    public:
        Subscription(TapFilter filter, std::size_t capacity, std::shared_ptr<std::atomic<int>> open);
        ~Subscription();
        Subscription(const Subscription &) = delete;
        Subscription &operator=(const Subscription &) = delete;

        // Moves the waiting events to `out`; returns how many were dropped since the last call.
        std::uint64_t take(std::vector<TapEvent> &out);
        const TapFilter &filter() const { return m_filter; }

    private:
        friend class TapHub;
        void offer(const TapEvent &event);

        const TapFilter m_filter;
        const std::size_t m_capacity;
        std::shared_ptr<std::atomic<int>> m_open;
        std::mutex m_mutex;
        std::deque<TapEvent> m_events;
        std::uint64_t m_dropped = 0;
    };

    static constexpr std::size_t DefaultCapacity = 10000;

    bool active() const { return m_open->load(std::memory_order_relaxed) > 0; }
    int subscribers() const { return m_open->load(std::memory_order_relaxed); }
    void publish(const TapEvent &event);
    // Open until the returned pointer is released.
    std::shared_ptr<Subscription> subscribe(TapFilter filter, std::size_t capacity = DefaultCapacity);

private:
    std::shared_ptr<std::atomic<int>> m_open = std::make_shared<std::atomic<int>>(0);
    std::mutex m_mutex;
    std::vector<std::weak_ptr<Subscription>> m_subscriptions;
};

} // namespace meshcore::telemetry
