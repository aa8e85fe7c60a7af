#include <QTest>

#include "core/utf8.h"
#include "telemetry/prometheus_text.h"

using meshcore::telemetry::escapeLabelValue;
using meshcore::telemetry::PrometheusText;

class TestPrometheusText : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void labelValuesAreEscaped()
    {
        QCOMPARE(escapeLabelValue("a\\b\"c\nd"), std::string("a\\\\b\\\"c\\nd"));
        QCOMPARE(escapeLabelValue("caf\xC3\xA9"), std::string("caf\xC3\xA9"));
    }

    void invalidUtf8BecomesReplacementCharacters()
    {
        // Prometheus refuses a scrape with a label value that is not UTF-8.
        QCOMPARE(escapeLabelValue("\xFF"), std::string("\xEF\xBF\xBD"));
        QCOMPARE(escapeLabelValue("/caf\xE9\"x"), std::string("/caf\xEF\xBF\xBD\\\"x"));
        QCOMPARE(escapeLabelValue("\xC0\\"), std::string("\xEF\xBF\xBD\\\\"));
    }

    void aSampleWithAnInvalidLabelIsValidText()
    {
        PrometheusText text;
        text.family("request_total", "counter", "Requests.");
        text.sample("request_total", {{"authority", "\xFF\xFE"}, {"path", "ok"}}, 3);
        QCOMPARE(meshcore::invalidUtf8Offset(text.text()), std::string_view::npos);
        QVERIFY2(text.text().find(
                     "request_total{authority=\"\xEF\xBF\xBD\xEF\xBF\xBD\",path=\"ok\"} 3\n")
                     != std::string::npos,
                 text.text().c_str());
    }
};

QTEST_APPLESS_MAIN(TestPrometheusText)
#include "tst_prometheus_text.moc"
