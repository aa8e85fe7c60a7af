#include <QTest>

#include <future>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "admin/admin_api.h"
#include "admin/admin_server.h"
#include "tests/support/descriptor_exhaustion.h"
#include "tests/support/raw_socket.h"

using meshcore::admin::AdminServer;
using meshscope::testing::RawSocket;
using namespace std::chrono_literals;

namespace {

// An AdminServer on its own io_context thread, answering every request with the request line.
class RunningServer {
public:
    RunningServer()
    {
        auto server = AdminServer::create(m_io, {"127.0.0.1", 0}, [](const meshcore::admin::ApiRequest &r) {
            return meshcore::admin::ApiResponse{200, "text/plain", r.method + " " + r.target + " " + r.authorization};
        });
        if (!server)
            qFatal("cannot start admin server: %s", server.error().message.c_str());
        m_server = std::move(*server);
        m_thread = std::thread([this] { m_io.run(); });
    }
    ~RunningServer() { stopAndJoin(); }

    meshcore::Address address() const { return m_server->localAddress(); }

    // Stops the server on its own thread; true if the io_context then ran out of work.
    bool stopAndJoin(std::chrono::milliseconds timeout = 5s)
    {
        if (!m_thread.joinable())
            return true;
        boost::asio::post(m_io, [this] { m_server->stop(); });
        auto done = std::async(std::launch::async, [this] { m_thread.join(); });
        if (done.wait_for(timeout) != std::future_status::ready) {
            m_io.stop();
            done.wait();
            return false;
        }
        return true;
    }

private:
    boost::asio::io_context m_io{1};
    std::unique_ptr<AdminServer> m_server;
    std::thread m_thread;
};

} // namespace

class TestAdminServer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void answersSeveralRequestsOnOneKeepAliveConnection()
    {
        RunningServer server;
        RawSocket socket(server.address());
        QVERIFY(socket.connected());
        for (int i = 0; i < 3; ++i) {
            QVERIFY(socket.send("GET /healthz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n\r\n"));
            const auto answer = socket.readUntil("Bearer t", 5s);
            QVERIFY2(answer.starts_with("HTTP/1.1 200 OK"), answer.c_str());
            QVERIFY(answer.find("Server: meshd/") != std::string::npos);
        }
    }

    void malformedRequestsGet4xxAndTheConnectionCloses_data()
    {
        QTest::addColumn<QString>("request");
        QTest::addColumn<QString>("status");
        QTest::newRow("garbage") << "HELLO\r\n\r\n" << "400";
        QTest::newRow("bad version") << "GET / HTTP/9.9\r\n\r\n" << "400";
        QTest::newRow("content-length and chunked")
            << "POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc" << "400";
        QTest::newRow("space before colon") << "GET / HTTP/1.1\r\nHost : x\r\n\r\n" << "400";
        QTest::newRow("huge header") << "GET / HTTP/1.1\r\nX-Big: " + QString(70 * 1024, QLatin1Char('a')) + "\r\n\r\n" << "431";
        QTest::newRow("huge body") << "POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n" << "413";
    }
    void malformedRequestsGet4xxAndTheConnectionCloses()
    {
        QFETCH(QString, request);
        QFETCH(QString, status);
        RunningServer server;
        RawSocket socket(server.address());
        QVERIFY(socket.send(request.toStdString()));
        bool closed = false;
        const auto answer = socket.readUntil("", 5s, &closed);
        QVERIFY2(answer.starts_with("HTTP/1.1 " + status.toStdString()), answer.c_str());
        QVERIFY(closed);
    }

    void refusesNonLoopbackAddresses()
    {
        boost::asio::io_context io;
        const auto server = AdminServer::create(io, {"0.0.0.0", 0}, nullptr);
        QVERIFY(!server);
        QVERIFY(server.error().message.find("loopback") != std::string::npos);
    }

    void reportsAnAddressInUse()
    {
        RunningServer first;
        boost::asio::io_context io;
        const auto second = AdminServer::create(io, first.address(), nullptr);
        QVERIFY(!second);
        QCOMPARE(second.error().code, meshcore::ErrorCode::AddressInUse);
        QVERIFY(second.error().message.find(first.address().toString()) != std::string::npos);
    }

    // Out of descriptors (EMFILE on accept): a reserved descriptor lets a probe in and it gets
    // its answer; the next waits for the reserve to come back (the first session ending) and is
    // answered then. Nothing is dropped, nothing spins.
    void answersHealthzWhileTheProcessIsOutOfDescriptors()
    {
        RunningServer server;
        auto first = RawSocket::unconnected(server.address());
        auto second = RawSocket::unconnected(server.address());
        const std::string request
            = "GET /healthz HTTP/1.1\r\nHost: " + server.address().toString() + "\r\n\r\n";
        meshscope::testing::DescriptorExhaustion exhaustion(256);
        QVERIFY(exhaustion.exhausted());
        QVERIFY(first->connect() && second->connect());
        QVERIFY(first->send(request) && second->send(request));
        const auto answer = first->readUntil("GET /healthz", 5s);
        QVERIFY2(answer.starts_with("HTTP/1.1 200 OK"), answer.c_str());
        first.reset();
        const auto next = second->readUntil("GET /healthz", 5s);
        QVERIFY2(next.starts_with("HTTP/1.1 200 OK"), next.c_str());
    }

    void stopClosesIdleConnectionsAndEndsTheLoop()
    {
        RunningServer server;
        RawSocket idle(server.address());
        RawSocket halfRequest(server.address());
        QVERIFY(idle.connected() && halfRequest.connected());
        QVERIFY(halfRequest.send("GET /healthz HTTP/1.1\r\nHo"));
        QTest::qWait(50);
        QVERIFY(server.stopAndJoin(5s));
        bool closed = false;
        idle.readUntil("", 2s, &closed);
        QVERIFY(closed);
        halfRequest.readUntil("", 2s, &closed);
        QVERIFY(closed);
    }
};

QTEST_GUILESS_MAIN(TestAdminServer)
#include "tst_admin_server.moc"
