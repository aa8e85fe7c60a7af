// The proxy's clock: a manual one wakes its sleepers exactly when moved past their time (so the
// layers' tests move time instead of sleeping), and the real one sleeps for real.
#include <QTest>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "proxy/monotonic_clock.h"

using namespace meshcore::proxy;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {
asio::awaitable<void> sleepThenMark(const MonotonicClock &clock, SteadyDuration wait, bool &woke)
{
    co_await clock.sleepFor(wait);
    woke = true;
}

void settle(asio::io_context &io)
{
    io.restart();
    io.poll();
}
} // namespace

class TestMonotonicClock : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void aManualSleeperWakesWhenTimePassesItsDeadlineAndNotBefore()
    {
        asio::io_context io;
        ManualMonotonicClock clock;
        bool shortWoke = false;
        bool longWoke = false;
        asio::co_spawn(io, sleepThenMark(clock, 100ms, shortWoke), asio::detached);
        asio::co_spawn(io, sleepThenMark(clock, 300ms, longWoke), asio::detached);
        settle(io);
        QCOMPARE(clock.sleepers(), std::size_t(2));
        clock.advance(99ms);
        settle(io);
        QVERIFY(!shortWoke);
        clock.advance(1ms);
        settle(io);
        QVERIFY(shortWoke);
        QVERIFY(!longWoke);
        QCOMPARE(clock.sleepers(), std::size_t(1));
        clock.advance(1h);
        settle(io);
        QVERIFY(longWoke);
        QCOMPARE(clock.sleepers(), std::size_t(0));
    }

    void aSleepIntoThePastReturnsAtOnce()
    {
        asio::io_context io;
        ManualMonotonicClock clock;
        bool woke = false;
        asio::co_spawn(io, sleepThenMark(clock, 0ms, woke), asio::detached);
        settle(io);
        QVERIFY(woke);
        QCOMPARE(clock.sleepers(), std::size_t(0));
    }

    void aSleeperDestroyedWithItsContextIsForgotten()
    {
        ManualMonotonicClock clock;
        bool woke = false;
        {
            asio::io_context io;
            asio::co_spawn(io, sleepThenMark(clock, 1s, woke), asio::detached);
            settle(io);
            QCOMPARE(clock.sleepers(), std::size_t(1));
        }
        QCOMPARE(clock.sleepers(), std::size_t(0));
        clock.advance(2s); // nothing left to wake, nothing dangling
        QVERIFY(!woke);
    }

    void theSystemClockSleepsForReal()
    {
        asio::io_context io;
        bool woke = false;
        const auto before = std::chrono::steady_clock::now();
        asio::co_spawn(io, sleepThenMark(systemMonotonicClock(), 20ms, woke), asio::detached);
        io.run();
        QVERIFY(woke);
        QVERIFY(std::chrono::steady_clock::now() - before >= 20ms);
    }
};

QTEST_GUILESS_MAIN(TestMonotonicClock)
#include "tst_monotonic_clock.moc"
