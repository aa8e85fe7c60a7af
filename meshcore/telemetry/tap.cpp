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
    return service.size() > wanted.size() && service.starts_with(wanted) && service[wanted.size()] == '.'
           && wanted.find('.') == std::string::npos;
}

} // namespace

bool TapFilter::matches(const TapEvent &event) const
{
    return serviceMatches(service, event.destinationService) && serviceMatches(from, event.sourceService)
           && (route.empty() || route == event.route) && event.path.starts_with(pathPrefix)
           && (method.empty() || method == event.method) && (statusClass == 0 || event.status / 100 == statusClass);
}

std::optional<unsigned> parseStatusClass(const std::string &text)
{
    if (text.empty())
        return 0u;
    if (text.size() == 3 && text[0] >= '1' && text[0] <= '5' && (text.substr(1) == "xx" || text.substr(1) == "XX"))
        return static_cast<unsigned>(text[0] - '0');
    return std::nullopt;
}

TapHub::Subscription::Subscription(TapFilter filter, std::size_t capacity, std::shared_ptr<std::atomic<int>> open)
    : m_filter(std::move(filter)), m_capacity(std::max<std::size_t>(capacity, 1)), m_open(std::move(open))
{
    m_open->fetch_add(1, std::memory_order_relaxed);
}

TapHub::Subscription::~Subscription()
{
    m_open->fetch_sub(1, std::memory_order_relaxed);
}

std::uint64_t TapHub::Subscription::take(std::vector<TapEvent> &out)
{
    const std::lock_guard lock(m_mutex);
    std::move(m_events.begin(), m_events.end(), std::back_inserter(out));
    m_events.clear();
    return std::exchange(m_dropped, 0);
}

void TapHub::Subscription::offer(const TapEvent &event)
{
    if (!m_filter.matches(event))
        return;
    const std::lock_guard lock(m_mutex);
    if (m_events.size() >= m_capacity) {
        m_events.pop_front();
        ++m_dropped;
    }
    m_events.push_back(event);
}

void TapHub::publish(const TapEvent &event)
{
    if (!active())
        return;
    std::vector<std::shared_ptr<Subscription>> live;
    {
        const std::lock_guard lock(m_mutex);
        std::erase_if(m_subscriptions, [](const auto &weak) { return weak.expired(); });
        for (const auto &weak : m_subscriptions)
            if (auto subscription = weak.lock())
                live.push_back(std::move(subscription));
    }
    for (const auto &subscription : live)
        subscription->offer(event);
}

std::shared_ptr<TapHub::Subscription> TapHub::subscribe(TapFilter filter, std::size_t capacity)
{
    auto subscription = std::make_shared<Subscription>(std::move(filter), capacity, m_open);
    const std::lock_guard lock(m_mutex);
    std::erase_if(m_subscriptions, [](const auto &weak) { return weak.expired(); });
    m_subscriptions.push_back(subscription);
    return subscription;
}

} // namespace meshcore::telemetry
