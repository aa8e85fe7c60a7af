// A service's history and routes over HTTP on a real meshd with traffic from two callers (the
// local clients and another service's sidecar): the three ranges (5m, 15m of 10-s points, 1h of
// 1-min points), one edge with ?from=, and bad values answered 400 with a sentence.
#include <QTest>

#include <csignal>
#include <numeric>

#include "tests/support/http_backend.h"
#include "tests/support/proxy_client.h"
#include "tests/support/test_mesh.h"

using meshscope::testing::HttpBackend;
using meshscope::testing::ProxyClient;
using meshscope::testing::replicas;
using meshscope::testing::TestMesh;

namespace {

std::int64_t requestsIn(const meshcore::admin::ServiceHistory &history)
{
    std::int64_t sum = 0;
    for (const auto &point : history.points)
        sum += point.traffic.requests;
    return sum;
}

std::int64_t requestsIn(const meshcore::admin::ServiceRoutes &routes)
{
    std::int64_t sum = 0;
    for (const auto &route : routes.routes)
        sum += route.traffic.requests;
    return sum;
}

// The outbound proxy of `pod`'s sidecar (its http_proxy), as GET /api/v1/workloads says.
meshcore::Address outboundOf(const TestMesh &mesh, const std::string &pod)
{
    const auto workloads = mesh.admin->workloads();
    for (const auto &w : *workloads)
        if (w.pod == pod) {
            const auto colon = w.outbound.rfind(':');
            return {w.outbound.substr(0, colon),
                    static_cast<std::uint16_t>(std::stoi(w.outbound.substr(colon + 1)))};
        }
    return {};
}

} // namespace

class TestMeshdHistory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rangesAndOneEdgeOverHttp()
    {
        HttpBackend api;
        HttpBackend web;
        TestMesh mesh(QStringLiteral("  - {name: api, namespace: shop, versions: [{name: v1, "
                                     "replicas: %1}]}\n"
                                     "  - {name: web, namespace: shop, versions: [{name: v1, "
                                     "replicas: %2}]}\n")
                          .arg(replicas({&api}), replicas({&web})));
        QVERIFY(mesh.meshd);
        ProxyClient local(mesh.local);
        for (int i = 0; i < 30; ++i)
            QCOMPARE(local.get("http://api.shop/local").result_int(), 200u);
        ProxyClient fromWeb(outboundOf(mesh, "web-v1-0"));
        for (int i = 0; i < 20; ++i)
            QCOMPARE(fromWeb.get("http://api.shop/web").result_int(), 200u);

        // Every caller, 15 minutes by default. A proxy counts a request once its answer is
        // written, so the client can be a moment ahead of the counts: wait for them first.
        QTRY_COMPARE_WITH_TIMEOUT(requestsIn(*mesh.admin->history("api.shop")), std::int64_t(50),
                                  5000);
        auto history = mesh.admin->history("api.shop");
        QVERIFY(history);
        QCOMPARE(history->stepSeconds, 10);
        QCOMPARE(history->rangeSeconds, 900);
        QCOMPARE(history->points.size(), std::size_t(90));
        QCOMPARE(history->from, std::string());
        QCOMPARE(requestsIn(*history), std::int64_t(50));

        history = mesh.admin->history("api.shop", {}, 300);
        QVERIFY(history);
        QCOMPARE(history->stepSeconds, 10);
        QCOMPARE(history->rangeSeconds, 300);
        QCOMPARE(history->points.size(), std::size_t(30));
        QCOMPARE(requestsIn(*history), std::int64_t(50));

        history = mesh.admin->history("api.shop", {}, 3600);
        QVERIFY(history);
        QCOMPARE(history->stepSeconds, 60);
        QCOMPARE(history->rangeSeconds, 3600);
        QCOMPARE(history->points.size(), std::size_t(60));
        QCOMPARE(requestsIn(*history), std::int64_t(50));
        QCOMPARE(history->points.back().timeUnix - history->points.front().timeUnix,
                 std::int64_t(59 * 60));

        // One edge: web -> api, by its full name or its bare one, and the local clients'.
        history = mesh.admin->history("api.shop", "web.shop", 3600);
        QVERIFY(history);
        QCOMPARE(history->from, std::string("web.shop"));
        QCOMPARE(requestsIn(*history), std::int64_t(20));
        QCOMPARE(requestsIn(*mesh.admin->history("api", "web")), std::int64_t(20));
        QCOMPARE(requestsIn(*mesh.admin->history("api.shop", "local-client")), std::int64_t(30));
        // A service of the mesh that never called api: an edge with nothing on it yet.
        QCOMPARE(requestsIn(*mesh.admin->history("web.shop", "api.shop")), std::int64_t(0));

        // The routes' window takes whole past seconds: the requests are in once their second is.
        QTRY_COMPARE_WITH_TIMEOUT(requestsIn(*mesh.admin->routes("api.shop")), std::int64_t(50),
                                  5000);
        const auto routes = mesh.admin->routes("api.shop", "web.shop");
        QVERIFY(routes);
        QCOMPARE(routes->from, std::string("web.shop"));
        QCOMPARE(requestsIn(*routes), std::int64_t(20));
        QCOMPARE(mesh.admin->routes("api.shop")->from, std::string());

        // Bad values: 400 and a sentence that says what is allowed.
        struct Case {
            const char *target;
            const char *says;
        };
        const Case cases[] = {
            {"/api/v1/history?service=api.shop&range=2h", "range is 5m, 15m or 1h, not '2h'"},
            {"/api/v1/history?service=api.shop&range=", "range is 5m, 15m or 1h"},
            {"/api/v1/history?service=api.shop&from=nobody", "from names no service of the mesh"},
            {"/api/v1/history?service=api.shop&from=web.other", "from names no service"},
            {"/api/v1/routes?service=api.shop&from=nobody", "(known: "},
        };
        for (const auto &c : cases) {
            const auto answer = mesh.admin->get(c.target);
            QVERIFY2(!answer, c.target);
            QVERIFY2(answer.error().message.find(c.says) != std::string::npos,
                     answer.error().message.c_str());
            QCOMPARE(answer.error().code, meshcore::ErrorCode::InvalidArgument); // 400 (or 409)
        }
        QCOMPARE(mesh.meshd->stop(SIGTERM), 0);
    }
};

QTEST_GUILESS_MAIN(TestMeshdHistory)
#include "tst_meshd_history.moc"
