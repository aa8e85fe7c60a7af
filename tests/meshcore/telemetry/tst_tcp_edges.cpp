// The topology's TCP edges: connections open now, opened and refused, and bytes each way per
// second over a window of the last minute, on fixed time points.
#include <QTest>

#include "telemetry/tcp_edges.h"

using namespace meshcore::telemetry;
using namespace std::chrono_literals;

namespace {

const auto T0 = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));

EdgeKey key(const std::string &to, const std::string &version = "v1")
{
    return {"web", "shop", "v1",    "spiffe://mesh.local/ns/shop/sa/web",
            to,    "shop", version, "spiffe://mesh.local/ns/shop/sa/" + to,
            "",    true};
}

} // namespace

class TestTcpEdges : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void countsConnectionsAndBytesOverTheWindow()
    {
        TcpEdgeStats stats;
        stats.opened(T0);
        stats.opened(T0 + 1s);
        stats.carried(T0 + 1s, true, 1000);
        stats.carried(T0 + 2s, false, 30000);
        stats.closed();
        stats.refused();
        const auto now = stats.figures(T0 + 9s, 10s);
        QCOMPARE(now.open, std::int64_t(1));
        QCOMPARE(now.opened, std::uint64_t(2));
        QCOMPARE(now.refused, std::uint64_t(1));
        QCOMPARE(now.openedPerSecond, 0.2);
        QCOMPARE(now.sentBytesPerSecond, 100.0);
        QCOMPARE(now.receivedBytesPerSecond, 3000.0);
        // A minute later the rates are gone; the connection still open is not.
        const auto later = stats.figures(T0 + 70s, 30s);
        QCOMPARE(later.open, std::int64_t(1));
        QCOMPARE(later.sentBytesPerSecond, 0.0);
        QCOMPARE(later.openedPerSecond, 0.0);
        // A slot reused a minute on starts from zero.
        stats.carried(T0 + 61s, true, 10);
        QCOMPARE(stats.figures(T0 + 61s, 1s).sentBytesPerSecond, 10.0);
    }

    void edgesAreKeptPerCallerAndVersion()
    {
        TcpEdges edges;
        auto &v1 = edges.edge(key("redis"));
        auto &v2 = edges.edge(key("redis", "v2"));
        QVERIFY(&v1 != &v2);
        QCOMPARE(&edges.edge(key("redis")), &v1);
        QCOMPARE(edges.edges().size(), std::size_t(2));
    }
};

QTEST_APPLESS_MAIN(TestTcpEdges)
#include "tst_tcp_edges.moc"
