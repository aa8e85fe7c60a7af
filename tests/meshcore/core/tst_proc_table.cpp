#include <QTest>

#include <unistd.h>

#include <algorithm>

#include "core/proc_table.h"

using namespace meshcore;

class TestProcTable : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void thisProcessIsInTheTable()
    {
        const auto pids = processIds();
        QVERIFY(std::find(pids.begin(), pids.end(), ::getpid()) != pids.end());
    }

    void thisProcessIsNamedAfterItsExecutable()
    {
        QCOMPARE(commandOf(::getpid()), std::string("tst_proc_table"));
        const auto self = selfExecutable("fallback");
        QVERIFY2(self.ends_with("/tst_proc_table"), self.c_str());
    }

    void aProcessThatIsNotThereHasNoName()
    {
        QCOMPARE(commandOf(0x7fffffff), std::string()); // above any pid_max
    }
};

QTEST_APPLESS_MAIN(TestProcTable)
#include "tst_proc_table.moc"
