#pragma once

#include <atomic>
#include <cstddef>
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
    std::string sourcePod; // "frontend-v1-0", or "local-client"
    std::string sourceService;
    std::string sourceIdentity;
    std::string destinationService; // "catalog.shop"; the name asked for when unknown
    std::string destinationPod; // the replica that answered ("" when none did)
    std::string destinationIdentity;
    std::string method;
    std::string authority;
    std::string path;
    std::string route; // the route it matched, "default" when none
    unsigned status = 0;
    double latencyMs = 0;
    bool mtls = false; // whether it left over mTLS to a verified identity
    std::string
        error; // what the proxy answered itself: "timeout", "unavailable", "unknown-service"...
    unsigned retries = 0;
};

// What a tap subscriber wants to see; an empty field matches everything.
struct TapFilter {
    std::string service; // destination service, "catalog" or "catalog.shop"
    std::string from; // source service, same forms
    std::string route;
    std::string pathPrefix;
    std::string method;
    unsigned statusClass = 0; // 2 for 2xx ... 5 for 5xx; 0: any

    bool matches(const TapEvent &event) const;
};

// "5xx" -> 5, "" -> 0; nullopt for anything else.
std::optional<unsigned> parseStatusClass(const std::string &text);

// How much the open taps may keep (see TapHub).
struct TapLimits {
    std::size_t tapBytes = std::size_t(2) << 20; // per tap
    std::size_t totalBytes = std::size_t(16) << 20; // all taps together
    std::size_t tapEvents = 10000; // per tap
};

// Hands finished requests to the taps that are open. Publishing is one relaxed atomic load when
// nobody taps, so the data plane pays nothing for the feature it does not use; with taps open,
// each event is kept once, shared by the taps whose filter lets it through.
// What taps keep is bounded by bytes (an event's strings come from the wire and may be long):
// each tap holds at most `tapBytes` and `tapEvents`, all taps together at most `totalBytes`
// (each of n open taps gets totalBytes / n). A tap over its bound loses its oldest events and is
// told how many. Thread: publish() from any data-plane thread; a Subscription is read by one
// thread.
class TapHub {
public:
    using Event = std::shared_ptr<const TapEvent>;

    class Subscription {
    public:
        Subscription(TapFilter filter, std::size_t maxEvents,
                     std::shared_ptr<std::atomic<int>> open);
        ~Subscription();
        Subscription(const Subscription &) = delete;
        Subscription &operator=(const Subscription &) = delete;

        // Moves the waiting events to `out`, oldest first, until they add up to `maxBytes` (at
        // least one); returns how many were dropped since the last call.
        std::uint64_t take(std::vector<Event> &out, std::size_t maxBytes = SIZE_MAX);
        const TapFilter &filter() const { return m_filter; }
        std::size_t bytes() const; // what the waiting events count for
        std::size_t size() const;

    private:
        friend class TapHub;
        void offer(const Event &event, std::size_t bytes, std::size_t maxBytes);
        void trim(std::size_t maxBytes); // with m_mutex held

        const TapFilter m_filter;
        const std::size_t m_maxEvents;
        std::shared_ptr<std::atomic<int>> m_open;
        mutable std::mutex m_mutex;
        std::deque<std::pair<Event, std::size_t>> m_events; // with the bytes each counts for
        std::size_t m_bytes = 0;
        std::uint64_t m_dropped = 0;
    };

    explicit TapHub(TapLimits limits = {})
        : m_limits(limits)
    {
    }

    bool active() const { return m_open->load(std::memory_order_relaxed) > 0; }
    int subscribers() const { return m_open->load(std::memory_order_relaxed); }
    void publish(TapEvent event);
    // Open until the returned pointer is released; `maxEvents` 0 means the hub's `tapEvents`.
    std::shared_ptr<Subscription> subscribe(TapFilter filter, std::size_t maxEvents = 0);
    // What the open taps hold, in the bytes their bounds count.
    std::size_t bytes() const;
    // What one event counts for: itself, its strings' heap buffers and the bookkeeping around it.
    static std::size_t footprint(const TapEvent &event);

private:
    using List = std::vector<std::weak_ptr<Subscription>>;
    std::size_t share() const; // the bytes one tap may hold now
    std::shared_ptr<const List> list() const;

    const TapLimits m_limits;
    std::shared_ptr<std::atomic<int>> m_open = std::make_shared<std::atomic<int>>(0);
    mutable std::mutex m_mutex;
    std::shared_ptr<const List> m_list
        = std::make_shared<const List>(); // replaced whole: publish copies no vector
};

} // namespace meshcore::telemetry
