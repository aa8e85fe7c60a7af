#include <QTest>

#include <unistd.h>

#include "core/proc_fd.h"
#include "core/proc_table.h"
#include "listening_socket.h"

using namespace meshcore;

class TestProcFd : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void thisProcessHoldsItsSocket()
    {
        const ListeningSocket listening;
        QVERIFY(listening.inode != 0);
        QVERIFY(ownSocketInodes().contains(listening.inode));
        QVERIFY(socketInodesOf(::getpid()).contains(listening.inode));
    }

    void aClosedSocketIsHeldByNobody()
    {
        unsigned long inode = 0;
        {
            const ListeningSocket listening;
            inode = listening.inode;
        }
        QVERIFY(!ownSocketInodes().contains(inode));
        QVERIFY(!socketOwner(inode));
    }

    void theOwnerOfASocketIsFoundInTheProcessTable()
    {
        const ListeningSocket listening;
        const auto owner = socketOwner(listening.inode);
        QVERIFY(owner);
        QCOMPARE(owner->pid, ::getpid());
        QCOMPARE(owner->command, commandOf(::getpid()));
    }

    void aProcessThatIsNotThereHoldsNothing()
    {
        QVERIFY(socketInodesOf(0x7fffffff).empty()); // above any pid_max
    }
};

QTEST_APPLESS_MAIN(TestProcFd)
#include "tst_proc_fd.moc"
