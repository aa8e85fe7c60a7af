#include "daemon/routes/tap_routes.h"

#include <nlohmann/json.hpp>

#include "admin/api_json.h"
#include "core/json_dump.h"

namespace meshcore::daemon {
namespace {

using admin::ApiRequest;
using admin::ApiResponse;

// More open taps than this is a leak somewhere, not a user: refuse them.
constexpr int MaxTaps = 32;

// What one poll takes from the subscription, in the bytes its bound counts. The server writes
// what a poll returned before it polls again, so a reader that does not read leaves its events in
// the subscription, whose bound then drops the oldest: nothing else piles up.
constexpr std::size_t PollBytes = std::size_t {64} * 1024;
constexpr std::chrono::milliseconds PollInterval {100};

class TapStream : public admin::ApiStream {
public:
    TapStream(std::shared_ptr<telemetry::TapHub::Subscription> subscription, std::uint64_t max)
        : m_subscription(std::move(subscription))
        , m_left(max)
    {
        interval = PollInterval;
    }

    bool poll(std::string &out) override
    {
        if (const auto dropped = m_subscription->take(m_events, PollBytes)) {
            admin::TapDropped notice;
            notice.count = dropped;
            out += dumpJson(admin::toJson(notice)) + "\n";
        }
        for (const auto &event : m_events) {
            if (m_left == 0)
                break;
            out += dumpJson(admin::toJson(*event)) + "\n";
            --m_left;
        }
        m_events.clear();
        // Another whole poll's worth waiting: poll again as soon as this is written.
        interval
            = m_subscription->bytes() >= PollBytes ? std::chrono::milliseconds(0) : PollInterval;
        return m_left > 0;
    }

private:
    std::shared_ptr<telemetry::TapHub::Subscription> m_subscription;
    std::uint64_t m_left;
    std::vector<telemetry::TapHub::Event> m_events;
};

} // namespace

void addTapRoutes(admin::AdminApi &api, const AdminContext &context)
{
    api.route("GET", "/api/v1/tap", [context](const ApiRequest &request) {
        const auto parameter = [&](const char *name) {
            return admin::queryParameter(request.target, name).value_or("");
        };
        telemetry::TapFilter filter;
        filter.service = parameter("service");
        filter.from = parameter("from");
        filter.route = parameter("route");
        filter.pathPrefix = parameter("path");
        filter.method = parameter("method");
        const auto statusClass = telemetry::parseStatusClass(parameter("status"));
        if (!statusClass)
            return admin::errorResponse(400, admin::ApiErrorCode::InvalidArgument,
                                        "status must be a class like 2xx, 4xx or 5xx, not '"
                                            + parameter("status") + "'");
        filter.statusClass = *statusClass;
        std::uint64_t max = UINT64_MAX;
        if (const auto text = parameter("max"); !text.empty()) {
            if (text.find_first_not_of("0123456789") != std::string::npos || text.size() > 9
                || std::stoull(text) == 0)
                return admin::errorResponse(400, admin::ApiErrorCode::InvalidArgument,
                                            "max must be a whole number of requests from 1, not '"
                                                + text + "'");
            max = std::stoull(text);
        }
        auto &hub = context.dataPlane.tap();
        if (hub.subscribers() >= MaxTaps)
            return admin::errorResponse(429, admin::ApiErrorCode::TooManyTaps,
                                        "already " + std::to_string(MaxTaps)
                                            + " taps open; close one and try again");
        ApiResponse response {200, "application/x-ndjson", {}};
        response.stream = std::make_shared<TapStream>(hub.subscribe(std::move(filter)), max);
        return response;
    });
}

} // namespace meshcore::daemon
