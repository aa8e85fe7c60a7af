// The runtime fault switch per service version: a switch handed out before a fault is set sees
// it, versions do not see each other's, clearing restores, a reload's cleanup clears only the
// versions that went, the checks refuse what cannot be injected, the draws keep their shares, and
// readers on other threads never see a torn fault while it changes.
#include <QTest>

#include <atomic>
#include <thread>

#include "proxy/version_faults.h"

using namespace meshcore;
using namespace meshcore::proxy;
using namespace std::chrono_literals;

namespace {
const VersionKey ApiV1 {"api", "shop", "v1"};
const VersionKey ApiV2 {"api", "shop", "v2"};

control::FaultConfig abortWith(double percent, unsigned status)
{
    control::FaultConfig fault;
    fault.abortPercent = percent;
    fault.abortStatus = status;
    return fault;
}

control::FaultConfig delayOf(double percent, control::Millis delay)
{
    control::FaultConfig fault;
    fault.delayPercent = percent;
    fault.delay = delay;
    return fault;
}
} // namespace

class TestVersionFaults : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aSwitchTakenBeforeTheFaultSeesIt()
    {
        VersionFaults faults;
        const auto v1 = faults.switchFor(ApiV1);
        const auto v2 = faults.switchFor(ApiV2);
        QVERIFY(!v2->current());
        faults.set(ApiV2, abortWith(100, 503));
        QVERIFY(v2->current());
        QCOMPARE(*v2->current(), abortWith(100, 503));
        QVERIFY(!v1->current()); // the other version is untouched
        QCOMPARE(faults.switchFor(ApiV2).get(), v2.get()); // one switch per version
        // A replica that comes later (a reload) gets the same switch, fault included.
        QCOMPARE(*faults.switchFor(ApiV2)->current(), abortWith(100, 503));
    }

    void clearingRestoresAndSaysWhetherThereWasOne()
    {
        VersionFaults faults;
        const auto v2 = faults.switchFor(ApiV2);
        QVERIFY(!faults.clear(ApiV2));
        faults.set(ApiV2, delayOf(50, 200ms));
        QCOMPARE(faults.get(ApiV2), std::optional(delayOf(50, 200ms)));
        QVERIFY(faults.clear(ApiV2));
        QVERIFY(!v2->current());
        QVERIFY(!faults.get(ApiV2));
        QVERIFY(faults.list().empty());
    }

    void listIsOrderedAndHoldsOnlySetFaults()
    {
        VersionFaults faults;
        (void)faults.switchFor({"web", "shop", "v1"}); // a switch alone is no fault
        faults.set(ApiV2, abortWith(10, 500));
        faults.set(ApiV1, delayOf(100, 1ms));
        faults.set(ApiV2, abortWith(20, 502)); // replaces
        const auto list = faults.list();
        QCOMPARE(list.size(), std::size_t(2));
        QCOMPARE(list[0].first, ApiV1);
        QCOMPARE(list[1].first, ApiV2);
        QCOMPARE(list[1].second, abortWith(20, 502));
    }

    void clearUnlessClearsOnlyVersionsThatWent()
    {
        VersionFaults faults;
        const auto v2 = faults.switchFor(ApiV2);
        faults.set(ApiV1, abortWith(100, 503));
        faults.set(ApiV2, abortWith(100, 503));
        const auto cleared
            = faults.clearUnless([](const VersionKey &key) { return key.version == "v1"; });
        QCOMPARE(cleared, std::vector<VersionKey> {ApiV2});
        QVERIFY(!v2->current());
        QVERIFY(faults.get(ApiV1));
    }

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void faultProblemRefusesWhatCannotBeInjected_data()
    {
        QTest::addColumn<double>("delayPercent");
        QTest::addColumn<int>("delayMs");
        QTest::addColumn<double>("abortPercent");
        QTest::addColumn<int>("abortStatus");
        QTest::addColumn<QString>("problem"); // empty: accepted
        QTest::newRow("abort") << 0.0 << 0 << 100.0 << 503 << "";
        QTest::newRow("delay") << 12.5 << 200 << 0.0 << 503 << "";
        QTest::newRow("both") << 100.0 << 60000 << 0.5 << 400 << "";
        QTest::newRow("nothing") << 0.0 << 500 << 0.0 << 503 << "nothing to inject";
        QTest::newRow("percent over") << 0.0 << 0 << 100.5 << 503 << "abort_percent must be";
        QTest::newRow("percent negative") << -1.0 << 10 << 0.0 << 503 << "delay_percent must be";
        QTest::newRow("not a number") << qQNaN() << 10 << 0.0 << 503 << "delay_percent must be";
        QTest::newRow("delay too long") << 50.0 << 60001 << 0.0 << 503 << "delay_ms must be";
        QTest::newRow("delay of 0") << 50.0 << 0 << 0.0 << 503 << "a delay needs delay_ms";
        QTest::newRow("status 399") << 0.0 << 0 << 1.0 << 399 << "abort_status must be";
        QTest::newRow("status 600") << 0.0 << 0 << 1.0 << 600 << "abort_status must be";
    }
    void faultProblemRefusesWhatCannotBeInjected()
    {
        QFETCH(double, delayPercent);
        QFETCH(int, delayMs);
        QFETCH(double, abortPercent);
        QFETCH(int, abortStatus);
        QFETCH(QString, problem);
        control::FaultConfig fault;
        fault.delayPercent = delayPercent;
        fault.delay = control::Millis(delayMs);
        fault.abortPercent = abortPercent;
        fault.abortStatus = static_cast<unsigned>(abortStatus);
        const auto found = faultProblem(fault);
        if (problem.isEmpty()) {
            QVERIFY2(!found, found ? found->c_str() : "");
            return;
        }
        QVERIFY(found);
        QVERIFY2(found->starts_with(problem.toStdString()), found->c_str());
    }

    void drawsKeepTheirShares()
    {
        control::FaultConfig fault = abortWith(20, 502);
        fault.delayPercent = 50;
        fault.delay = 30ms;
        Chance chance(7);
        int delayed = 0;
        int aborted = 0;
        for (int i = 0; i < 10000; ++i) {
            const auto draw = drawFault(fault, chance);
            if (draw.delay == 30ms)
                ++delayed;
            else
                QCOMPARE(draw.delay, 0ms);
            if (draw.abortStatus) {
                QCOMPARE(*draw.abortStatus, 502u);
                ++aborted;
            }
        }
        QVERIFY2(delayed > 4800 && delayed < 5200, qPrintable(QString::number(delayed)));
        QVERIFY2(aborted > 1850 && aborted < 2150, qPrintable(QString::number(aborted)));
        const auto always = drawFault(abortWith(100, 503), chance);
        QCOMPARE(always.abortStatus, std::optional(503u));
        QCOMPARE(always.delay, 0ms);
    }

    void readersOnOtherThreadsSeeWholeFaults()
    {
        VersionFaults faults;
        const auto v2 = faults.switchFor(ApiV2);
        std::atomic<bool> stop {false};
        std::atomic<int> torn {0};
        std::atomic<long> seen {0};
        std::vector<std::thread> readers;
        readers.reserve(2);
        for (int t = 0; t < 2; ++t)
            readers.emplace_back([&] {
                while (!stop) {
                    if (const auto fault = v2->current()) {
                        // Set below as (n, 400 + n): a mix of two would break it.
                        if (fault->abortStatus != 400 + static_cast<unsigned>(fault->abortPercent))
                            ++torn;
                        ++seen;
                    }
                }
            });
        for (int i = 0; i < 20000; ++i) {
            const unsigned n = 1 + static_cast<unsigned>(i % 99);
            faults.set(ApiV2, abortWith(n, 400 + n));
            if (i % 3 == 0)
                faults.clear(ApiV2);
        }
        stop = true;
        for (auto &t : readers)
            t.join();
        QCOMPARE(torn.load(), 0);
        qInfo("%ld reads saw a fault", seen.load());
    }
};

QTEST_APPLESS_MAIN(TestVersionFaults)
#include "tst_version_faults.moc"
