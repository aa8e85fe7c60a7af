#pragma once

// What a unit test of one proxy layer needs: an io_context to run the layer's coroutine on, a
// manual clock to move its time, real metrics, and a request context for a route with a policy.

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <memory>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "proxy/request_context.h"

namespace meshscope::testing {

namespace proxy = meshcore::proxy;

class LayerHarness {
public:
    explicit LayerHarness(meshcore::control::RequestPolicy policy = {},
                          std::string routeName = "default")
        : series(metrics,
                 {{"namespace", "shop"}, {"parent_name", "api"}, {"route_name", routeName}})
        , endpointSeries(metrics, {{"dst_pod", "api-v1-0"}})
        , tapSubscription(metrics.tap.subscribe({}))
        , tap(metrics.tap, caller(), "api", "shop", "GET", "api.shop", "/search")
        , context(clock, route(policy, std::move(routeName)), series, tap)
    {
    }

    // Starts `task`; its result is set once it finishes. Runs what is ready now.
    template <class T> std::shared_ptr<std::optional<T>> start(boost::asio::awaitable<T> task)
    {
        auto result = std::make_shared<std::optional<T>>();
        boost::asio::co_spawn(io, std::move(task),
                              [result](const std::exception_ptr &error, T value) {
                                  if (error)
                                      std::rethrow_exception(error);
                                  result->emplace(std::move(value));
                              });
        settle();
        return result;
    }
    // Moves time on by `by` and runs what that wakes.
    void advance(proxy::SteadyDuration by)
    {
        clock.advance(by);
        settle();
    }
    void settle()
    {
        io.restart();
        io.poll();
    }
    proxy::SteadyDuration elapsed() const { return clock.now() - started; }

    proxy::ManualMonotonicClock clock;
    const proxy::SteadyTime started = clock.now();
    meshcore::telemetry::ProxyMetrics metrics;
    proxy::RouteSeries series;
    proxy::RequestSeries endpointSeries;
    std::shared_ptr<meshcore::telemetry::TapHub::Subscription> tapSubscription;
    proxy::TapRecord tap;
    proxy::RequestContext context;
    // Last, so it goes first: a coroutine still suspended when a test ends early is destroyed
    // while the clock, the series and the context it refers to still exist. (A test declares
    // what its coroutines use, a balancer or a budget, before its harness, for the same reason.)
    boost::asio::io_context io;

    static const proxy::WorkloadLabels &caller()
    {
        static const proxy::WorkloadLabels labels {
            "shop", "web-v1", "web-v1-0", "web", "v1", "spiffe://mesh.local/ns/shop/sa/web"};
        return labels;
    }
    static proxy::RouteMatch route(meshcore::control::RequestPolicy policy, std::string name)
    {
        proxy::RouteMatch match;
        match.name = std::move(name);
        match.policy = policy;
        match.service = "api";
        match.ns = "shop";
        return match;
    }
};

} // namespace meshscope::testing
