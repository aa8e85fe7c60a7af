#include <QTest>

#include <nlohmann/json.hpp>

#include "core/json_dump.h"
#include "core/utf8.h"

class TestJsonDump : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void invalidUtf8IsReplacedNotThrown()
    {
        const nlohmann::json json
            = {{"authority", "\xFF"}, {"path", "/caf\xE9"}, {"ok", "caf\xC3\xA9"}};
        QVERIFY_THROWS_EXCEPTION(nlohmann::json::type_error, (void)json.dump()); // what meshd did
        const auto text = meshcore::dumpJson(json);
        QCOMPARE(meshcore::invalidUtf8Offset(text), std::string_view::npos);
        const auto back = nlohmann::json::parse(text);
        QCOMPARE(back.at("authority").get<std::string>(), std::string("\xEF\xBF\xBD"));
        QCOMPARE(back.at("path").get<std::string>(), std::string("/caf\xEF\xBF\xBD"));
        QCOMPARE(back.at("ok").get<std::string>(), std::string("caf\xC3\xA9"));
    }

    void invalidKeysAndNestedValuesToo()
    {
        const nlohmann::json json = {{"\xC0key", nlohmann::json::array({"\xED\xA0\x80", 1})}};
        const auto text = meshcore::dumpJson(json);
        QCOMPARE(meshcore::invalidUtf8Offset(text), std::string_view::npos);
        QVERIFY(nlohmann::json::parse(text).is_object());
    }

    void indentsLikeDump()
    {
        const nlohmann::json json = {{"a", 1}, {"b", "\xE2\x82\xAC"}};
        QCOMPARE(meshcore::dumpJson(json), json.dump());
        QCOMPARE(meshcore::dumpJson(json, 2), json.dump(2));
        QCOMPARE(meshcore::dumpJson(json), std::string("{\"a\":1,\"b\":\"\xE2\x82\xAC\"}"));
    }
};

QTEST_APPLESS_MAIN(TestJsonDump)
#include "tst_json_dump.moc"
