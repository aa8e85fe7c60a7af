#include <QTest>

#include "core/utf8.h"

using meshcore::invalidUtf8Offset;
using meshcore::logSafe;
using meshcore::validUtf8;

namespace {
const std::string Fffd = "\xEF\xBF\xBD";
const auto npos = std::string_view::npos;
} // namespace

class TestUtf8 : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void validTextIsKept_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("ascii") << QByteArray("GET /items?q=1");
        QTest::newRow("two bytes") << QByteArray("caf\xC3\xA9");
        QTest::newRow("three bytes") << QByteArray("\xE2\x82\xAC 5");
        QTest::newRow("four bytes") << QByteArray("\xF0\x9F\x98\x80");
        QTest::newRow("largest code point") << QByteArray("\xF4\x8F\xBF\xBF");
        QTest::newRow("nul") << QByteArray("a\0b", 3);
    }
    void validTextIsKept()
    {
        QFETCH(QByteArray, text);
        const std::string bytes = text.toStdString();
        QCOMPARE(invalidUtf8Offset(bytes), npos);
        QCOMPARE(validUtf8(bytes), bytes);
    }

    void invalidSequencesBecomeReplacementCharacters_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("offset");
        QTest::addColumn<QByteArray>("replaced");
        const QByteArray r = QByteArray::fromStdString(Fffd);
        QTest::newRow("lone 0xff") << QByteArray("\xFF") << 0 << r;
        QTest::newRow("latin-1 e acute") << QByteArray("/caf\xE9") << 4 << "/caf" + r;
        QTest::newRow("stray continuation") << QByteArray("a\x80z") << 1 << "a" + r + "z";
        QTest::newRow("overlong slash") << QByteArray("\xC0\xAF") << 0 << r + r;
        QTest::newRow("overlong three bytes") << QByteArray("\xE0\x80\xAF") << 0 << r + r + r;
        QTest::newRow("surrogate") << QByteArray("\xED\xA0\x80") << 0 << r + r + r;
        QTest::newRow("above U+10FFFF") << QByteArray("\xF4\x90\x80\x80") << 0 << r + r + r + r;
        QTest::newRow("truncated at the end") << QByteArray("ok\xE2\x82") << 2 << "ok" + r;
        QTest::newRow("truncated before ascii") << QByteArray("\xF0\x9F\x98z") << 0 << r + "z";
        QTest::newRow("valid after invalid") << QByteArray("\xFF\xC3\xA9") << 0 << r + "\xC3\xA9";
    }
    void invalidSequencesBecomeReplacementCharacters()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, offset);
        QFETCH(QByteArray, replaced);
        QCOMPARE(invalidUtf8Offset(text.toStdString()), std::size_t(offset));
        const auto out = validUtf8(text.toStdString());
        QCOMPARE(QByteArray::fromStdString(out), replaced);
        QCOMPARE(invalidUtf8Offset(out), npos);
    }

    void logLinesEscapeInvalidBytesAndControlCharacters()
    {
        QCOMPARE(logSafe("GET /caf\xE9"), std::string("GET /caf\\xE9"));
        QCOMPARE(logSafe("a\r\nb\x1B[31m"), std::string("a\\x0D\\x0Ab\\x1B[31m"));
        QCOMPARE(logSafe("caf\xC3\xA9 \xE2\x82\xAC"), std::string("caf\xC3\xA9 \xE2\x82\xAC"));
    }
};

QTEST_APPLESS_MAIN(TestUtf8)
#include "tst_utf8.moc"
