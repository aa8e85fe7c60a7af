// Route matching: the first route whose method and path (exact or prefix, the query ignored)
// match, its policy over the destination's defaults, and "default" otherwise.
#include <QTest>

#include "core/clock.h"
#include "proxy/destination.h"
#include "proxy/route_match.h"

using namespace meshcore;
using namespace meshcore::proxy;
using namespace std::chrono_literals;

namespace {
control::RouteConfig route(std::string name, std::string method, std::string path,
                           std::string prefix)
{
    control::RouteConfig config;
    config.name = std::move(name);
    config.method = std::move(method);
    config.path = std::move(path);
    config.pathPrefix = std::move(prefix);
    return config;
}
} // namespace

class TestRouteMatch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theFirstMatchingRouteWins()
    {
        const std::vector<control::RouteConfig> routes {route("order", "POST", "/orders", ""),
                                                        route("search", "", "", "/search"),
                                                        route("all", "", "", "/")};
        QCOMPARE(routeLabel(routes, "POST", "/orders"), std::string("order"));
        QCOMPARE(routeLabel(routes, "GET", "/orders"), std::string("all")); // method differs
        QCOMPARE(routeLabel(routes, "POST", "/orders/1"), std::string("all")); // exact path only
        QCOMPARE(routeLabel(routes, "GET", "/search?q=/orders"), std::string("search"));
        QCOMPARE(routeLabel(routes, "POST", "/orders?x=1"), std::string("order")); // query ignored
        QCOMPARE(routeLabel({}, "GET", "/"), std::string("default"));
        QVERIFY(!findRoute({route("search", "", "", "/search")}, "GET", "/"));
    }

    void aRoutesPolicyFillsItsGapsFromTheDestinations()
    {
        control::ServiceConfig service;
        service.name = "api";
        service.ns = "shop";
        service.policy.timeout = 5s;
        service.policy.retries = control::RetryConfig {};
        auto search = route("search", "", "", "/search");
        search.policy.timeout = 300ms;
        service.routes = {search};
        const auto destination = makeDestination(service, {}, systemClock());
        const auto match = matchRoute(*destination, "GET", "/search?q=x");
        QCOMPARE(match.name, std::string("search"));
        QCOMPARE(*match.policy.timeout, control::Millis(300));
        QVERIFY(match.policy.retries); // inherited
        QCOMPARE(match.where(), std::string("route search of api.shop"));
        const auto other = matchRoute(*destination, "GET", "/x");
        QCOMPARE(other.name, std::string("default"));
        QCOMPARE(*other.policy.timeout, control::Millis(5000));
    }
};

QTEST_GUILESS_MAIN(TestRouteMatch)
#include "tst_route_match.moc"
