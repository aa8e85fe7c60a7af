// The admin API's types against their JSON (admin/api_json.h): checks, version, certificates,
// reload, tap lines, runtime faults and the error codes (the read views:
// tst_api_views_round_trip.cpp). For every type with both directions, fromJson(toJson(x)) == x, and
// a sample of a real answer reads back.
#include <QTest>

#include <nlohmann/json.hpp>

#include "admin/api_errors.h"
#include "admin/api_json.h"
#include "api_samples.h"

using namespace meshcore;
using admin::CheckInfo;

namespace {

admin::ChecksReport sampleChecks()
{
    return admin::checksReport({
        CheckInfo {.name = "ca-can-issue",
                   .title = "the mesh CA can issue certificates",
                   .status = CheckInfo::Status::Pass,
                   .message = "",
                   .hint = "",
                   .subjects = {}},
        CheckInfo {.name = "crash-loops",
                   .title = "no supervised process is crash-looping",
                   .status = CheckInfo::Status::Fail,
                   .message = "catalog-v2-0 has restarted 5 times",
                   .hint = "see its output with 'meshd logs catalog-v2-0'",
                   .subjects = {"catalog-v2-0"}},
        CheckInfo {.name = "unknown-destinations",
                   .title = "every name called is a service",
                   .status = CheckInfo::Status::Warn,
                   .message = "web called \"catalgo\"",
                   .hint = "did you mean catalog.shop?",
                   .subjects = {"catalgo", "web.shop"}},
    });
}

} // namespace

class TestApiRoundTrip : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void checksRoundTrip()
    {
        const auto report = sampleChecks();
        QCOMPARE(report.status, CheckInfo::Status::Fail); // the worst of them
        const auto back = admin::checksReportFromJson(admin::toJson(report));
        QVERIFY(back);
        QVERIFY(*back == report);
        for (const auto &check : report.checks) {
            const auto one = admin::checkInfoFromJson(admin::toJson(check));
            QVERIFY(one);
            QVERIFY(*one == check);
        }
        QCOMPARE(admin::checksReport({}).status, CheckInfo::Status::Pass);
    }

    void checksStatusesAreSpelledOnce()
    {
        for (const auto status :
             {CheckInfo::Status::Pass, CheckInfo::Status::Warn, CheckInfo::Status::Fail})
            QVERIFY(admin::checkStatusFromName(admin::checkStatusName(status)) == status);
        QCOMPARE(std::string(admin::checkStatusName(CheckInfo::Status::Warn)), std::string("warn"));
        QVERIFY(!admin::checkStatusFromName("Fail"));
    }

    void checksSampleFromMeshdReads()
    {
        // GET /api/v1/checks as `meshd up --demo` answered it (2026-12-02, this branch).
        const auto sample = nlohmann::json::parse(
            R"({"checks":[{"hint":"","message":"","name":"ca-can-issue","status":"pass","subjects":[],"title":"the mesh CA can issue workload certificates"},
{"hint":"","message":"","name":"certificates","status":"pass","subjects":[],"title":"no certificate of the mesh is expired or about to expire"},
{"hint":"","message":"","name":"unknown-destinations","status":"pass","subjects":[],"title":"every name called in the last minute is a service of the mesh"},
{"hint":"","message":"","name":"crash-loops","status":"pass","subjects":[],"title":"no supervised process is crash-looping"},
{"hint":"","message":"","name":"workloads-listening","status":"pass","subjects":[],"title":"every workload listens on its port"},
{"hint":"","message":"","name":"proxy-bypass","status":"pass","subjects":[],"title":"every workload is reached only through its inbound proxy"},
{"hint":"","message":"","name":"ports-in-use","status":"pass","subjects":[],"title":"every supervised workload's port is held by that workload"},
{"hint":"","message":"","name":"memory-growth","status":"pass","subjects":[],"title":"no supervised process's memory keeps growing"},
{"hint":"","message":"","name":"config-in-force","status":"pass","subjects":[],"title":"the configuration in force is the one on disk"}],"status":"pass"})");
        const auto report = admin::checksReportFromJson(sample);
        QVERIFY(report);
        QCOMPARE(report->status, CheckInfo::Status::Pass);
        QCOMPARE(report->checks.size(), std::size_t(9));
        QCOMPARE(report->checks[5].name, std::string("proxy-bypass"));
        QVERIFY(*report == admin::checksReport(report->checks)); // the status is the worst
        QVERIFY(admin::toJson(*report) == sample); // and writes back the same
    }

    void checksRefuseAnUnknownStatus()
    {
        auto json = admin::toJson(sampleChecks());
        json["checks"][0]["status"] = "fine";
        const auto report = admin::checksReportFromJson(json);
        QVERIFY(!report);
        QCOMPARE(report.error().code, ErrorCode::Protocol);
    }

    void versionRoundTrip()
    {
        const admin::VersionInfo info {.version = "0.1.0",
                                       .apiVersion = 1,
                                       .mesh = "demo",
                                       .trustDomain = "mesh.local",
                                       .configSource = "embedded demo mesh",
                                       .pid = 4242,
                                       .startedAtUnixMs = 1764000000000,
                                       .uptimeMs = 1500,
                                       .adminAddress = "127.0.0.1:4191",
                                       .stateDir = "/tmp/meshd"};
        const auto back = admin::versionInfoFromJson(admin::toJson(info));
        QVERIFY(back);
        QVERIFY(*back == info);
    }

    void certificateReportRoundTrip()
    {
        using admin::CertificateInfo;
        admin::CertificateReport report {.trustDomain = "mesh.local",
                                         .anchorStage = "added",
                                         .generation = 3,
                                         .canIssue = true,
                                         .problem = "no issuer",
                                         .certificates = {}};
        report.certificates.push_back(CertificateInfo {.kind = "trust-anchor",
                                                       .role = "signing",
                                                       .identity = "meshscope root",
                                                       .serial = "0a1b",
                                                       .notBeforeUnix = 1764000000,
                                                       .notAfterUnix = 1795536000,
                                                       .secondsLeft = 31536000,
                                                       .state = "ok"});
        report.certificates.push_back(
            CertificateInfo {.kind = "workload",
                             .role = "",
                             .identity = "spiffe://mesh.local/ns/shop/sa/web",
                             .serial = "ff",
                             .notBeforeUnix = 1764000000,
                             .notAfterUnix = 1764086400,
                             .secondsLeft = 60,
                             .state = "warning"});
        const auto back = admin::certificateReportFromJson(admin::toJson(report));
        QVERIFY(back);
        QVERIFY(*back == report);
    }

    void reloadRoundTrip()
    {
        const auto result = api_samples::reload();
        const auto back = admin::reloadResultFromJson(admin::toJson(result));
        QVERIFY(back);
        QVERIFY(*back == result);
    }

    void tapEventRoundTrip()
    {
        telemetry::TapEvent event; // TapEvent has no operator==: compared through its JSON
        event.unixMs = 1764000000123;
        event.sourcePod = "web-v1-0";
        event.sourceService = "web.shop";
        event.sourceIdentity = "spiffe://mesh.local/ns/shop/sa/web";
        event.destinationService = "catalog.shop";
        event.destinationPod = "catalog-v2-0";
        event.destinationIdentity = "spiffe://mesh.local/ns/shop/sa/catalog";
        event.method = "GET";
        event.authority = "catalog.shop";
        event.path = "/items?q=1";
        event.route = "items";
        event.status = 504;
        event.latencyMs = 250.5;
        event.mtls = true;
        event.error = "timeout";
        event.retries = 2;
        const auto json = admin::toJson(event);
        const auto back = admin::tapEventFromJson(json);
        QVERIFY(back);
        QVERIFY(admin::toJson(*back) == json);
        QCOMPARE(back->destinationPod, event.destinationPod);
        QCOMPARE(back->retries, event.retries);
    }

    void tapDroppedRoundTrip()
    {
        const admin::TapDropped dropped {.count = 12};
        const auto back = admin::tapDroppedFromJson(admin::toJson(dropped));
        QVERIFY(back);
        QVERIFY(*back == dropped);
        QVERIFY(!admin::tapDroppedFromJson(nlohmann::json {{"kind", "request"}, {"count", 1}}));
        QVERIFY(!admin::tapDroppedFromJson(
            nlohmann::json {{"kind", 5}, {"count", 1}})); // refused, not thrown
        QVERIFY(!admin::tapDroppedFromJson(nlohmann::json::array()));
    }

    void faultsRoundTrip()
    {
        admin::VersionFault v2 {
            .service = "api",
            .ns = "shop",
            .version = "v2",
            .fault
            = {.delayPercent = 12.5, .delayMs = 250, .abortPercent = 100, .abortStatus = 502}};
        admin::VersionFault v3 {
            .service = "catalog", .ns = "default", .version = "v3", .fault = {}};
        v3.fault.abortPercent = 0.5;
        const std::vector<admin::VersionFault> faults {v2, v3};
        const auto back = admin::faultsFromJson(admin::toJson(faults));
        QVERIFY(back);
        QVERIFY(*back == faults);
        const auto one = admin::versionFaultFromJson(admin::toJson(v2));
        QVERIFY(one);
        QVERIFY(*one == v2);
        const auto none = admin::faultsFromJson(admin::toJson(std::vector<admin::VersionFault> {}));
        QVERIFY(none && none->empty());
        const admin::FaultCleared cleared {
            .service = "api", .ns = "shop", .version = "v2", .cleared = true};
        const auto clearedBack = admin::faultClearedFromJson(admin::toJson(cleared));
        QVERIFY(clearedBack);
        QVERIFY(*clearedBack == cleared);
        QVERIFY(!admin::faultsFromJson(nlohmann::json {{"faults", 1}})); // refused, not thrown
        QVERIFY(!admin::faultClearedFromJson(nlohmann::json::array()));
        // What meshd answers, as docs/api.md shows it.
        const auto sample = admin::versionFaultFromJson(nlohmann::json::parse(
            R"({"service": "api", "namespace": "shop", "version": "v2", "fault": {"delay_percent": 0,
                "delay_ms": 0, "abort_percent": 100, "abort_status": 503}})"));
        QVERIFY(sample);
        QCOMPARE(sample->fault.abortStatus, std::int64_t(503));
    }

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void faultBodiesAreReadStrictly_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("problem"); // empty: read
        QTest::newRow("abort") << R"({"abort_percent": 100, "abort_status": 500})"
                               << "";
        QTest::newRow("defaults") << R"({"abort_percent": 10})"
                                  << "";
        QTest::newRow("empty object") << "{}"
                                      << ""; // nothing to inject: the daemon's check
        QTest::newRow("not an object") << "[1]"
                                       << "the fault must be a JSON object like";
        QTest::newRow("unknown field") << R"({"abort_pct": 100})"
                                       << "unknown field \"abort_pct\": a fault is";
        QTest::newRow("text percent") << R"({"abort_percent": "100"})"
                                      << "\"abort_percent\" must be a number";
        QTest::newRow("fractional delay") << R"({"delay_percent": 10, "delay_ms": 1.5})"
                                          << "\"delay_ms\" must be a whole number";
        QTest::newRow("fractional status") << R"({"abort_percent": 1, "abort_status": 503.5})"
                                           << "\"abort_status\" must be a whole number";
        QTest::newRow("null") << R"({"delay_ms": null})"
                              << "\"delay_ms\" must be a whole number";
    }
    void faultBodiesAreReadStrictly()
    {
        QFETCH(QString, body);
        QFETCH(QString, problem);
        const auto fault = admin::faultSpecFromJson(nlohmann::json::parse(body.toStdString()));
        if (problem.isEmpty()) {
            QVERIFY2(fault, fault ? "" : fault.error().message.c_str());
            return;
        }
        QVERIFY(!fault);
        QCOMPARE(fault.error().code, ErrorCode::InvalidArgument);
        QVERIFY2(fault.error().message.starts_with(problem.toStdString()),
                 fault.error().message.c_str());
    }

    void aHugeWholeNumberStaysOutOfRange()
    {
        const auto fault = admin::faultSpecFromJson(
            nlohmann::json::parse(R"({"abort_percent": 1, "abort_status": 18446744073709551615})"));
        QVERIFY(fault);
        QVERIFY(fault->abortStatus > 599); // not wrapped round into a valid status
        const auto defaults = admin::faultSpecFromJson(nlohmann::json::object());
        QVERIFY(defaults);
        QVERIFY(*defaults == admin::FaultSpec {});
        QCOMPARE(defaults->abortStatus, std::int64_t(503));
    }

    void errorCodesAreSpelledOnce()
    {
        using admin::ApiErrorCode;
        for (int i = 0; i <= static_cast<int>(ApiErrorCode::Last); ++i) {
            const auto code = static_cast<ApiErrorCode>(i);
            const std::string name = admin::apiErrorCodeName(code);
            QVERIFY(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") == std::string::npos);
            QVERIFY(admin::apiErrorCodeFromName(name) == code); // and no other code has its name
        }
        QCOMPARE(std::string(admin::apiErrorCodeName(ApiErrorCode::TooManyTaps)),
                 std::string("too-many-taps"));
        // A meshcore error keeps its spelling on the wire.
        for (int i = 0; i <= static_cast<int>(ErrorCode::Internal); ++i) {
            const auto core = static_cast<ErrorCode>(i);
            QCOMPARE(std::string(admin::apiErrorCodeName(admin::apiErrorCodeOf(core))),
                     std::string(errorCodeName(core)));
        }
        QVERIFY(!admin::apiErrorCodeFromName("Invalid-Argument"));
    }
};

QTEST_APPLESS_MAIN(TestApiRoundTrip)
#include "tst_api_round_trip.moc"
