#include "telemetry/tap.h"

#include <algorithm>
#include <iterator>
#include <utility>

namespace meshcore::telemetry {
namespace {

// "catalog" matches "catalog.shop"; "catalog.shop" matches only itself.
bool serviceMatches(const std::string &wanted, const std::string &service)
{
    if (wanted.empty() || wanted == service)
        return true;
    return service.size() > wanted.size() && service.starts_with(wanted)
        && service[wanted.size()] == '.' && wanted.find('.') == std::string::npos;
}

// Whether a string's characters live in its short-string buffer, not on the heap.
bool inPlace(const std::string &text)
{
    const auto *self = reinterpret_cast<const char *>(&text);
    return text.data() >= self && text.data() < self + sizeof text;
}

} // namespace

bool TapFilter::matches(const TapEvent &event) const
{
    return serviceMatches(service, event.destinationService)
        && serviceMatches(from, event.sourceService) && (route.empty() || route == event.route)
        && event.path.starts_with(pathPrefix) && (method.empty() || method == event.method)
        && (statusClass == 0 || event.status / 100 == statusClass);
}

std::optional<unsigned> parseStatusClass(const std::string &text)
{
    if (text.empty())
        return 0u;
    if (text.size() == 3 && text[0] >= '1' && text[0] <= '5'
        && (text.substr(1) == "xx" || text.substr(1) == "XX"))
        return static_cast<unsigned>(text[0] - '0');
    return std::nullopt;
}

TapHub::Subscription::Subscription(TapFilter filter, std::size_t maxEvents,
                                   std::shared_ptr<std::atomic<int>> open)
    : m_filter(std::move(filter))
    , m_maxEvents(std::max<std::size_t>(maxEvents, 1))
    , m_open(std::move(open))
{
    m_open->fetch_add(1, std::memory_order_relaxed);
}

TapHub::Subscription::~Subscription()
{
    m_open->fetch_sub(1, std::memory_order_relaxed);
}

std::uint64_t TapHub::Subscription::take(std::vector<Event> &out, std::size_t maxBytes)
{
    const std::lock_guard lock(m_mutex);
    std::size_t taken = 0;
    while (!m_events.empty() && (taken == 0 || taken + m_events.front().second <= maxBytes)) {
        taken += m_events.front().second;
        out.push_back(std::move(m_events.front().first));
        m_events.pop_front();
    }
    m_bytes -= taken;
    return std::exchange(m_dropped, 0);
}

std::size_t TapHub::Subscription::bytes() const
{
    const std::lock_guard lock(m_mutex);
    return m_bytes;
}

std::size_t TapHub::Subscription::size() const
{
    const std::lock_guard lock(m_mutex);
    return m_events.size();
}

void TapHub::Subscription::offer(const Event &event, std::size_t bytes, std::size_t maxBytes)
{
    const std::lock_guard lock(m_mutex);
    m_events.emplace_back(event, bytes);
    m_bytes += bytes;
    trim(maxBytes);
}

void TapHub::Subscription::trim(std::size_t maxBytes)
{
    while (!m_events.empty() && (m_bytes > maxBytes || m_events.size() > m_maxEvents)) {
        m_bytes -= m_events.front().second;
        m_events.pop_front();
        ++m_dropped;
    }
}

std::size_t TapHub::footprint(const TapEvent &event)
{
    // shared_ptr control block and malloc headers, and the deque slot of each tap holding it.
    constexpr std::size_t Bookkeeping = 64;
    std::size_t bytes = sizeof(TapEvent) + Bookkeeping;
    for (const auto *text :
         {&event.sourcePod, &event.sourceService, &event.sourceIdentity, &event.destinationService,
          &event.destinationPod, &event.destinationIdentity, &event.method, &event.authority,
          &event.path, &event.route, &event.error})
        if (!inPlace(*text))
            bytes += text->capacity() + 1;
    return bytes;
}

std::size_t TapHub::share() const
{
    const auto open = static_cast<std::size_t>(std::max(subscribers(), 1));
    return std::min(m_limits.tapBytes, m_limits.totalBytes / open);
}

std::shared_ptr<const TapHub::List> TapHub::list() const
{
    const std::lock_guard lock(m_mutex);
    return m_list;
}

void TapHub::publish(TapEvent event)
{
    if (!active())
        return;
    const auto subscriptions = list();
    const auto maxBytes = share();
    Event shared;
    std::size_t bytes = 0;
    for (const auto &weak : *subscriptions) {
        const auto subscription = weak.lock();
        const TapEvent &current = shared ? *shared : event; // the first tap to take it moves it
        if (!subscription || !subscription->filter().matches(current))
            continue;
        if (!shared) { // kept once, only when some tap wants it
            shared = std::make_shared<const TapEvent>(std::move(event));
            bytes = footprint(*shared);
        }
        subscription->offer(shared, bytes, maxBytes);
    }
}

std::shared_ptr<TapHub::Subscription> TapHub::subscribe(TapFilter filter, std::size_t maxEvents)
{
    auto subscription = std::make_shared<Subscription>(
        std::move(filter), maxEvents ? maxEvents : m_limits.tapEvents, m_open);
    auto next = std::make_shared<List>();
    std::vector<std::shared_ptr<Subscription>> open;
    {
        const std::lock_guard lock(m_mutex);
        for (const auto &weak : *m_list)
            if (auto live = weak.lock()) {
                next->push_back(live);
                open.push_back(std::move(live));
            }
        next->push_back(subscription);
        m_list = std::move(next);
    }
    // One more tap: the others shrink to the new share, so that together they stay in bounds.
    const auto maxBytes = share();
    for (const auto &other : open) {
        const std::lock_guard lock(other->m_mutex);
        other->trim(maxBytes);
    }
    return subscription;
}

std::size_t TapHub::bytes() const
{
    std::size_t total = 0;
    for (const auto &weak : *list())
        if (const auto subscription = weak.lock())
            total += subscription->bytes();
    return total;
}

} // namespace meshcore::telemetry
