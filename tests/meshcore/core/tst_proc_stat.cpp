#include <QTest>

#include <unistd.h>

#include <chrono>

#include "core/proc_stat.h"

using namespace meshcore;

class TestProcStat : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aLineIsReadPastACommandWithSpacesAndParentheses()
    {
        const auto stat
            = parseProcStat("42 (a (b) c) S 7 42 42 0 -1 4194560 1 2 3 4 250 125 0 0 20 0 1");
        QVERIFY(stat);
        QCOMPARE(stat->state, 'S');
        QCOMPARE(stat->parent, pid_t(7));
        QCOMPARE(stat->processGroup, pid_t(42));
        QCOMPARE(stat->userTicks, std::uint64_t(250));
        QCOMPARE(stat->systemTicks, std::uint64_t(125));
        QVERIFY(!parseProcStat("42 no command"));
        QVERIFY(!parseProcStat(""));
    }

    void thisProcessIsRunningUnderItsParentInItsGroup()
    {
        const auto stat = readProcStat(::getpid());
        QVERIFY(stat);
        QCOMPARE(stat->state, 'R'); // reading its own stat
        QCOMPARE(stat->parent, ::getppid());
        QCOMPARE(stat->processGroup, ::getpgrp());
        QCOMPARE(processGroupOf(::getpid()), ::getpgrp());
    }

    void cpuTimeGrowsWhileThisProcessWorks()
    {
        const auto before = readProcStat(::getpid());
        QVERIFY(before);
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
        volatile unsigned long spin = 0;
        while (std::chrono::steady_clock::now() < until)
            spin = spin + 1;
        const auto after = readProcStat(::getpid());
        QVERIFY(after);
        const auto ticks = [](const ProcStat &s) { return s.userTicks + s.systemTicks; };
        QVERIFY2(ticks(*after) > ticks(*before), "100 ms of work is at least one tick (10 ms)");
    }

    void aProcessThatIsNotThereHasNoStat()
    {
        QVERIFY(!readProcStat(0x7fffffff)); // above any pid_max
        QCOMPARE(processGroupOf(0x7fffffff), pid_t(0));
    }
};

QTEST_APPLESS_MAIN(TestProcStat)
#include "tst_proc_stat.moc"
