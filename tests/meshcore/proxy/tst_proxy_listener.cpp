#include <QTest>

#include <thread>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "proxy/proxy_listener.h"
#include "tests/support/descriptor_exhaustion.h"
#include "tests/support/raw_socket.h"

using meshcore::proxy::ProxyListener;
using meshcore::proxy::Worker;
using meshcore::proxy::Workers;
using meshscope::testing::DescriptorExhaustion;
using meshscope::testing::RawSocket;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

// A listener whose sessions say "hello" and hang up, on one started worker.
struct Greeter {
    Workers workers {1};
    std::unique_ptr<ProxyListener> listener;
    Greeter()
    {
        auto created = ProxyListener::create(
            workers, {"127.0.0.1", 0},
            [](asio::ip::tcp::socket socket, Worker &) -> asio::awaitable<void> {
                boost::system::error_code ec;
                co_await asio::async_write(socket, asio::buffer("hello", 5),
                                           asio::redirect_error(asio::use_awaitable, ec));
            });
        if (!created)
            qFatal("cannot listen: %s", created.error().message.c_str());
        listener = std::move(*created);
        workers.start();
    }
    ~Greeter()
    {
        workers.drain([this] { listener->stop(); }, 2s);
    }
};

} // namespace

class TestProxyListener : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void greets()
    {
        Greeter greeter;
        RawSocket client(greeter.listener->localAddress());
        QVERIFY(client.connected());
        QCOMPARE(client.readUntil("hello", 5s), std::string("hello"));
    }

    // Out of descriptors (EMFILE on accept): each client waiting in the queue is reset at once,
    // through the reserve, rather than left hanging; once descriptors are free the listener
    // accepts as before.
    void connectionsItCannotTakeAreResetAndTheListenerRecovers()
    {
        Greeter greeter;
        const auto address = greeter.listener->localAddress();
        std::vector<std::unique_ptr<RawSocket>> refused;
        for (int i = 0; i < 3; ++i)
            refused.push_back(RawSocket::unconnected(address));
        {
            DescriptorExhaustion exhaustion(256);
            QVERIFY(exhaustion.exhausted());
            const auto start = std::chrono::steady_clock::now();
            for (auto &client : refused) {
                QVERIFY(client->connect());
                bool closed = false;
                QCOMPARE(client->readUntil("hello", 3s, &closed), std::string());
                QVERIFY(closed);
            }
            QVERIFY(std::chrono::steady_clock::now() - start < 3s);
        }
        // A connection that arrives while the listener is still resetting its queue (it takes up
        // to 64 at a time through the reserve) may be reset too; the next ones are served.
        std::string greeting;
        for (int attempt = 0; attempt < 20 && greeting != "hello"; ++attempt) {
            RawSocket next(address);
            QVERIFY(next.connected());
            greeting = next.readUntil("hello", 5s);
            if (greeting != "hello")
                std::this_thread::sleep_for(100ms);
        }
        QCOMPARE(greeting, std::string("hello"));
    }
};

QTEST_APPLESS_MAIN(TestProxyListener)
#include "tst_proxy_listener.moc"
