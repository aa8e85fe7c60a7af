#include <QTest>

#include <sstream>

#include "core/proc_net_tcp.h"
#include "listening_socket.h"

using namespace meshcore;

class TestProcNetTcp : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void rowsAreReadInTheKernelsFormat()
    {
        std::istringstream table("  sl  local_address rem_address   st tx_queue rx_queue tr "
                                 "tm->when retrnsmt   uid  timeout inode\n"
                                 "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 "
                                 "00:00000000 00000000  1000        0 4242 1 0\n"
                                 "   1: 0100007F:D431 0100007F:1F90 01 00000000:00000000 "
                                 "00:00000000 00000000  1000        0 4343 1 0\n"
                                 "   2: garbage\n");
        const auto sockets = parseTcpTable(table);
        QCOMPARE(sockets.size(), std::size_t(2));
        QCOMPARE(sockets[0].localPort, std::uint16_t(8080));
        QCOMPARE(sockets[0].remotePort, std::uint16_t(0));
        QCOMPARE(sockets[0].state, TcpState::Listen);
        QCOMPARE(sockets[0].inode, 4242ul);
        QCOMPARE(sockets[1].localPort, std::uint16_t(0xD431));
        QCOMPARE(sockets[1].remotePort, std::uint16_t(8080));
        QCOMPARE(sockets[1].state, TcpState::Established);
        QCOMPARE(sockets[1].inode, 4343ul);
    }

    void aSocketThisProcessListensOnIsInTheTable()
    {
        const ListeningSocket listening;
        QVERIFY(listening.port != 0 && listening.inode != 0);
        bool found = false;
        for (const auto &socket : tcpSockets())
            if (socket.inode == listening.inode) {
                found = true;
                QCOMPARE(socket.localPort, listening.port);
                QCOMPARE(socket.state, TcpState::Listen);
            }
        QVERIFY(found);
    }
};

QTEST_APPLESS_MAIN(TestProcNetTcp)
#include "tst_proc_net_tcp.moc"
