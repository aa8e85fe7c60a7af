#include <QTest>

#include <vector>

#include "core/descriptor_limit.h"
#include "core/descriptor_shortage.h"

using meshcore::DescriptorShortage;
using namespace std::chrono_literals;

namespace {
struct Reported {
    std::vector<std::string> lines;
    DescriptorShortage shortage {"127.0.0.1:4140",
                                 "refusing connections on 127.0.0.1:4140 until some close",
                                 [this](const std::string &line) { lines.push_back(line); }};
};
const DescriptorShortage::Clock::time_point T0 {};
} // namespace

class TestDescriptorShortage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aBurstIsSaidOnceAndItsEndWithTheCount()
    {
        Reported r;
        r.shortage.accepted(T0);
        QVERIFY(r.lines.empty());
        for (int i = 0; i < 100; ++i)
            r.shortage.outOfDescriptors(T0 + i * 10ms, 3);
        QCOMPARE(r.lines.size(), std::size_t(1));
        QCOMPARE(
            r.lines[0],
            "out of file descriptors (limit " + std::to_string(meshcore::descriptorLimit())
                + "): refusing connections on 127.0.0.1:4140 until some close; raise `ulimit -n`");
        // Accepts between refusals do not end it: at the edge of the limit it would flap.
        r.shortage.accepted(T0 + 1s);
        r.shortage.outOfDescriptors(T0 + 1100ms, 1);
        r.shortage.accepted(T0 + 1500ms);
        QCOMPARE(r.lines.size(), std::size_t(1));
        QVERIFY(r.shortage.inBurst());
        // A quiet second, then an accept: over, with how many were refused.
        r.shortage.accepted(T0 + 2100ms);
        QCOMPARE(r.lines.size(), std::size_t(2));
        QCOMPARE(
            r.lines[1],
            std::string("file descriptors available again: accepting connections on 127.0.0.1:4140 "
                        "(301 refused while out)"));
        QVERIFY(!r.shortage.inBurst());
        // The next burst is said again, and counted afresh.
        r.shortage.outOfDescriptors(T0 + 5s, 2);
        r.shortage.accepted(T0 + 7s);
        QCOMPARE(r.lines.size(), std::size_t(4));
        QVERIFY(r.lines[3].ends_with("(2 refused while out)"));
    }
};

QTEST_APPLESS_MAIN(TestDescriptorShortage)
#include "tst_descriptor_shortage.moc"
