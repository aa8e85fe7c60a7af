#include <QTest>

#include <unistd.h>

#include "core/proc_status.h"

using namespace meshcore;

class TestProcStatus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void thisProcessHasResidentMemory()
    {
        const auto kib = residentKib(::getpid());
        QVERIFY(kib);
        QVERIFY2(*kib > 100 && *kib < 16 * 1024 * 1024,
                 std::to_string(*kib).c_str()); // more than 100 KiB, less than 16 GiB
    }

    void aProcessThatIsNotThereHasNone()
    {
        QVERIFY(!residentKib(0x7fffffff)); // above any pid_max
    }
};

QTEST_APPLESS_MAIN(TestProcStatus)
#include "tst_proc_status.moc"
