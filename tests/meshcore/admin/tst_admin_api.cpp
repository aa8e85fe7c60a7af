#include <QTest>

#include <nlohmann/json.hpp>

#include "admin/admin_api.h"

using meshcore::admin::AdminApi;
using meshcore::admin::ApiRequest;

namespace {
const std::string Token(64, 'a');

AdminApi makeApi()
{
    AdminApi api(Token);
    api.route("GET", "/api/v1/version", [](const ApiRequest &) {
        return meshcore::admin::jsonResponse(200, R"({"version":"9.9.9","mesh":"test"})");
    });
    api.route(
        "GET", "/metrics",
        [](const ApiRequest &) {
            return meshcore::admin::ApiResponse {200, "text/plain", "m 1\n"};
        },
        AdminApi::Access::Open);
    return api;
}

ApiRequest get(const std::string &target, const std::string &authorization = {})
{
    return ApiRequest {"GET", target, authorization, {}};
}
} // namespace

class TestAdminApi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void healthzNeedsNoToken()
    {
        const auto response = makeApi().handle(get("/healthz"));
        QCOMPARE(response.status, 200);
        QCOMPARE(QString::fromStdString(response.body), QStringLiteral("ok\n"));
    }

    void versionNeedsTheToken_data()
    {
        QTest::addColumn<QString>("authorization");
        QTest::addColumn<int>("status");
        QTest::newRow("none") << "" << 401;
        QTest::newRow("wrong") << QString::fromStdString("Bearer " + std::string(64, 'b')) << 401;
        QTest::newRow("prefix of the token")
            << QString::fromStdString("Bearer " + Token.substr(0, 10)) << 401;
        QTest::newRow("no scheme") << QString::fromStdString(Token) << 401;
        QTest::newRow("right") << QString::fromStdString("Bearer " + Token) << 200;
    }
    void versionNeedsTheToken()
    {
        QFETCH(QString, authorization);
        QFETCH(int, status);
        const auto response = makeApi().handle(get("/api/v1/version", authorization.toStdString()));
        QCOMPARE(response.status, status);
        const auto json = nlohmann::json::parse(response.body);
        if (status == 200) {
            QCOMPARE(json.at("version").get<std::string>(), std::string("9.9.9"));
            QCOMPARE(json.at("mesh").get<std::string>(), std::string("test"));
        } else {
            QCOMPARE(json.at("error").at("code").get<std::string>(), std::string("unauthorized"));
        }
    }

    void errorsQuoteRequestBytesAsValidJson()
    {
        // A path that is not UTF-8 comes back in the message, replaced, never as a throw.
        const auto response = makeApi().handle(get("/caf\xE9\xFF"));
        QCOMPARE(response.status, 404);
        const auto json = nlohmann::json::parse(response.body);
        QCOMPARE(json.at("error").at("code").get<std::string>(), std::string("not-found"));
        QCOMPARE(json.at("error").at("message").get<std::string>(),
                 std::string("no such endpoint: /caf\xEF\xBF\xBD\xEF\xBF\xBD"));
    }

    void unknownPathsAre404AndWrongMethods405()
    {
        const auto api = makeApi();
        QCOMPARE(api.handle(get("/nope")).status, 404);
        QCOMPARE(api.handle(get("/api/v1/nope", "Bearer " + Token)).status, 404);
        QCOMPARE(api.handle(ApiRequest {"POST", "/api/v1/version", "Bearer " + Token, {}}).status,
                 405);
        QCOMPARE(api.handle(ApiRequest {"DELETE", "/healthz", {}, {}}).status, 405);
    }

    void queryStringsDoNotChangeTheRoute()
    {
        QCOMPARE(makeApi().handle(get("/api/v1/version?pretty=1", "Bearer " + Token)).status, 200);
        QCOMPARE(*meshcore::admin::queryParameter("/x?a=1&stage=add", "stage"), std::string("add"));
        QCOMPARE(*meshcore::admin::queryParameter("/x?flag", "flag"), std::string());
        QVERIFY(!meshcore::admin::queryParameter("/x?a=1", "stage"));
        QVERIFY(!meshcore::admin::queryParameter("/x", "stage"));
    }

    void openRoutesNeedNoTokenAndHeadIsServedAsGet()
    {
        const auto api = makeApi();
        QCOMPARE(api.handle(get("/metrics")).status, 200);
        QCOMPARE(api.handle(ApiRequest {"HEAD", "/healthz", {}, {}}).status, 200);
        QCOMPARE(api.handle(ApiRequest {"HEAD", "/api/v1/version", {}, {}}).status, 401);
    }
};

QTEST_APPLESS_MAIN(TestAdminApi)
#include "tst_admin_api.moc"
