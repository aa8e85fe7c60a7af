// The admin API's read views against their JSON (admin/api_topology_json.cpp,
// admin/api_workloads_json.cpp): fromJson(toJson(x)) == x for each, with a sample that sets every
// field (api_samples.h), the wire details that carry meaning, and wrong shapes refused.
#include <QTest>

#include <nlohmann/json.hpp>

#include "admin/api_json.h"
#include "api_samples.h"

using namespace meshcore;

class TestApiViewsRoundTrip : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void topologyRoundTrip()
    {
        const auto topology = api_samples::topology();
        const auto json = admin::toJson(topology);
        const auto back = admin::topologyFromJson(json);
        QVERIFY(back);
        QVERIFY(*back == topology);
        // Clients carry their identity and no figures; services and unknown names the reverse.
        QVERIFY(json["services"][1].contains("identity")
                && !json["services"][1].contains("requests"));
        QVERIFY(!json["services"][2].contains("identity")
                && json["services"][2]["success_rate"].is_null());
    }

    void routesRoundTrip()
    {
        const auto routes = api_samples::routes();
        const auto json = admin::toJson(routes);
        const auto back = admin::serviceRoutesFromJson(json);
        QVERIFY(back);
        QVERIFY(*back == routes);
        QVERIFY(json["routes"][1]["timeout_ms"].is_null());
    }

    void historyRoundTrip()
    {
        const auto history = api_samples::history();
        const auto back = admin::serviceHistoryFromJson(admin::toJson(history));
        QVERIFY(back);
        QVERIFY(*back == history);
    }

    void workloadsRoundTrip()
    {
        const auto report = api_samples::workloads();
        const auto json = admin::toJson(report);
        const auto back = admin::workloadsReportFromJson(json);
        QVERIFY(back);
        QVERIFY(*back == report);
        const auto list = admin::workloadsFromJson(json);
        QVERIFY(list);
        QVERIFY(*list == report.workloads);
        QVERIFY(json["workloads"][1]["process"].is_null()); // not run by meshd
        QVERIFY(json["workloads"][1]["balancer"].is_null()); // in no balancer
        QVERIFY(json["workloads"][0]["process"]["rss_kib"].is_number_integer());
    }

    void eventsRoundTrip()
    {
        const auto events = api_samples::events();
        const auto back = admin::eventsFromJson(admin::toJson(events));
        QVERIFY(back);
        QVERIFY(*back == events);
    }

    void splitRoundTrip()
    {
        const auto split = api_samples::split();
        const auto back = admin::splitFromJson(admin::toJson(split));
        QVERIFY(back);
        QVERIFY(*back == split);
        const std::vector<admin::SplitInfo> splits = {split, api_samples::split("catalog")};
        const auto all = admin::splitsFromJson(admin::toJson(splits));
        QVERIFY(all);
        QVERIFY(*all == splits);
    }

    // An older meshd's edges say nothing of protocols: they carried HTTP.
    void edgesWithoutProtocolsAreHttp()
    {
        auto json = admin::toJson(api_samples::topology());
        json["edges"][0].erase("protocols");
        const auto topology = admin::topologyFromJson(json);
        QVERIFY(topology);
        QCOMPARE(topology->edges[0].protocols, std::vector<std::string> {"http"});
        QVERIFY(!topology->edges[0].tcp);
        QCOMPARE(topology->edges[1].protocols, std::vector<std::string> {"tcp"});
        QCOMPARE(topology->edges[1].tcp->openConnections, std::int64_t(3));
    }

    void viewsRefuseAWrongShape()
    {
        auto json = admin::toJson(api_samples::topology());
        json["services"][0]["meshed"] = "yes";
        const auto topology = admin::topologyFromJson(json);
        QVERIFY(!topology);
        QCOMPARE(topology.error().code, ErrorCode::Protocol);
        QVERIFY(!admin::workloadsReportFromJson(nlohmann::json::object()));
        QVERIFY(!admin::splitFromJson(nlohmann::json {{"service", "api"}}));
    }
};

QTEST_APPLESS_MAIN(TestApiViewsRoundTrip)
#include "tst_api_views_round_trip.moc"
