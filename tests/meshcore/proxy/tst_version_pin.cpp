// Which version a request is pinned to: a header's exact value (any of its fields, whitespace
// around the value ignored), a cookie among several in one or more Cookie headers, the first
// matching pin winning, and nothing for near misses.
#include <QTest>

#include <boost/beast/http/fields.hpp>

#include "proxy/version_pin.h"

using meshcore::control::RequestMatch;
using meshcore::control::VersionPin;
using meshcore::proxy::cookieMatches;
using meshcore::proxy::pinnedVersion;
namespace http = boost::beast::http;

class TestVersionPin : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void headersMatchExactlyAndCaseInsensitivelyByName()
    {
        const std::vector<VersionPin> pins {{{RequestMatch::Kind::Header, "X-Beta", "yes"}, "v2"}};
        http::fields headers;
        QCOMPARE(pinnedVersion(pins, headers), std::string_view());
        headers.set("x-beta", "no");
        QCOMPARE(pinnedVersion(pins, headers), std::string_view());
        headers.insert("x-beta", " yes ");
        QCOMPARE(pinnedVersion(pins, headers), std::string_view("v2"));
        http::fields almost;
        almost.set("x-beta", "yes please");
        QCOMPARE(pinnedVersion(pins, almost), std::string_view());
    }

    void cookiesAreFoundAmongOthers()
    {
        QVERIFY(cookieMatches("a=1; beta=on; c=3", "beta", "on"));
        QVERIFY(cookieMatches("beta=on", "beta", "on"));
        QVERIFY(!cookieMatches("xbeta=on; beta=off", "beta", "on"));
        QVERIFY(!cookieMatches("beta", "beta", "on"));
        QVERIFY(!cookieMatches("", "beta", "on"));
        const std::vector<VersionPin> pins {{{RequestMatch::Kind::Cookie, "beta", "on"}, "v3"}};
        http::fields headers;
        headers.insert(http::field::cookie, "a=1");
        headers.insert(http::field::cookie, "beta=on");
        QCOMPARE(pinnedVersion(pins, headers), std::string_view("v3"));
        http::fields asHeader; // a header named like the cookie is not the cookie
        asHeader.set("beta", "on");
        QCOMPARE(pinnedVersion(pins, asHeader), std::string_view());
    }

    void theFirstMatchingPinWins()
    {
        const std::vector<VersionPin> pins {
            {{RequestMatch::Kind::Header, "l5d-meshscope-analysis", "web"}, "v2"},
            {{RequestMatch::Kind::Header, "x-beta", "yes"}, "v3"}};
        http::fields headers;
        headers.set("x-beta", "yes");
        headers.set("l5d-meshscope-analysis", "web");
        QCOMPARE(pinnedVersion(pins, headers), std::string_view("v2"));
    }
};

QTEST_APPLESS_MAIN(TestVersionPin)
#include "tst_version_pin.moc"
