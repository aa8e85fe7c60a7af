#include <QTest>

#include <future>
#include <stdexcept>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <nlohmann/json.hpp>

#include "admin/admin_api.h"
#include "admin/admin_server.h"
#include "tests/support/descriptor_exhaustion.h"
#include "tests/support/raw_socket.h"

using meshcore::admin::AdminServer;
using meshscope::testing::RawSocket;
using namespace std::chrono_literals;

namespace {

meshcore::admin::ApiResponse echo(const meshcore::admin::ApiRequest &r)
{
    return meshcore::admin::ApiResponse {200, "text/plain",
                                         r.method + " " + r.target + " " + r.authorization};
}

// The error code of an answer with the admin API's JSON error shape, or "" if it has not got it.
std::string errorCode(const std::string &answer)
{
    const auto headerEnd = answer.find("\r\n\r\n");
    if (headerEnd == std::string::npos)
        return {};
    const auto body = nlohmann::json::parse(answer.substr(headerEnd + 4), nullptr, false);
    if (!body.is_object() || !body.contains("error") || !body["error"].is_object()
        || !body["error"].contains("message"))
        return {};
    return body["error"].value("code", "");
}

// A stream that fails on its first poll, as a buggy source would.
class ThrowingStream : public meshcore::admin::ApiStream {
public:
    bool poll(std::string &out) override
    {
        out += "partial";
        throw std::runtime_error("stream source failed");
    }
};

// An AdminServer on its own io_context thread, answering every request with `handler` (the
// request line by default).
class RunningServer {
public:
    explicit RunningServer(AdminServer::Handler handler = echo)
    {
        auto server = AdminServer::create(m_io, {"127.0.0.1", 0}, std::move(handler));
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
    boost::asio::io_context m_io {1};
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
            QVERIFY(socket.send(
                "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer t\r\n\r\n"));
            const auto answer = socket.readUntil("Bearer t", 5s);
            QVERIFY2(answer.starts_with("HTTP/1.1 200 OK"), answer.c_str());
            QVERIFY(answer.find("Server: meshd/") != std::string::npos);
        }
    }

    void malformedRequestsGet4xxAndTheConnectionCloses_data()
    {
        QTest::addColumn<QString>("request");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("garbage") << "HELLO\r\n\r\n"
                                 << "400"
                                 << "malformed-request";
        QTest::newRow("bad version") << "GET / HTTP/9.9\r\n\r\n"
                                     << "400"
                                     << "malformed-request";
        QTest::newRow("content-length and chunked")
            << "POST /api HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: "
               "chunked\r\n\r\nabc"
            << "400"
            << "malformed-request";
        QTest::newRow("space before colon") << "GET / HTTP/1.1\r\nHost : x\r\n\r\n"
                                            << "400"
                                            << "malformed-request";
        QTest::newRow("huge header")
            << "GET / HTTP/1.1\r\nX-Big: " + QString(70 * 1024, QLatin1Char('a')) + "\r\n\r\n"
            << "431"
            << "header-too-large";
        QTest::newRow("huge body") << "POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n"
                                   << "413"
                                   << "body-too-large";
    }
    void malformedRequestsGet4xxAndTheConnectionCloses()
    {
        QFETCH(QString, request);
        QFETCH(QString, status);
        QFETCH(QString, code);
        RunningServer server;
        RawSocket socket(server.address());
        QVERIFY(socket.send(request.toStdString()));
        bool closed = false;
        const auto answer = socket.readUntil("", 5s, &closed);
        QVERIFY2(answer.starts_with("HTTP/1.1 " + status.toStdString()), answer.c_str());
        QVERIFY2(answer.find("Content-Type: application/json") != std::string::npos,
                 answer.c_str());
        QCOMPARE(QString::fromStdString(errorCode(answer)), code);
        QVERIFY(closed);
    }

    void foreignHostsAndOriginsAreRefused_data()
    {
        QTest::addColumn<QString>("headers");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("code");
        QTest::newRow("rebinding host") << "Host: evil.example\r\n"
                                        << "421"
                                        << "misdirected-request";
        QTest::newRow("rebinding host with port") << "Host: evil.example:4191\r\n"
                                                  << "421"
                                                  << "misdirected-request";
        QTest::newRow("two hosts") << "Host: 127.0.0.1\r\nHost: evil.example\r\n"
                                   << "421"
                                   << "misdirected-request";
        QTest::newRow("foreign origin") << "Host: 127.0.0.1\r\nOrigin: http://evil.example\r\n"
                                        << "403"
                                        << "forbidden-origin";
        QTest::newRow("null origin") << "Host: localhost\r\nOrigin: null\r\n"
                                     << "403"
                                     << "forbidden-origin";
        QTest::newRow("https loopback origin") << "Host: localhost\r\nOrigin: https://localhost\r\n"
                                               << "403"
                                               << "forbidden-origin";
    }
    void foreignHostsAndOriginsAreRefused()
    {
        QFETCH(QString, headers);
        QFETCH(QString, status);
        QFETCH(QString, code);
        int handled = 0;
        RunningServer server([&](const meshcore::admin::ApiRequest &r) {
            ++handled;
            return echo(r);
        });
        for (const char *path : {"/api/v1/version", "/healthz", "/metrics"}) {
            RawSocket socket(server.address());
            QVERIFY(socket.send(std::string("GET ") + path + " HTTP/1.1\r\n" + headers.toStdString()
                                + "Authorization: Bearer t\r\n\r\n"));
            bool closed = false;
            const auto answer = socket.readUntil("", 5s, &closed);
            QVERIFY2(answer.starts_with("HTTP/1.1 " + status.toStdString()), answer.c_str());
            QCOMPARE(QString::fromStdString(errorCode(answer)), code);
            QVERIFY(closed);
        }
        QCOMPARE(handled, 0); // refused before any handler saw it
    }

    void loopbackHostsAndOriginsAreServed_data()
    {
        QTest::addColumn<QString>("headers");
        QTest::newRow("127.0.0.1 and port (curl)") << "Host: 127.0.0.1:4191\r\n";
        QTest::newRow("localhost") << "Host: localhost\r\n";
        QTest::newRow("localhost and port") << "Host: localhost:4191\r\n";
        QTest::newRow("[::1] and port") << "Host: [::1]:4191\r\n";
        QTest::newRow("no host (HTTP/1.0 tools)") << "";
        QTest::newRow("loopback origin")
            << "Host: 127.0.0.1:4191\r\nOrigin: http://localhost:3000\r\n";
    }
    void loopbackHostsAndOriginsAreServed()
    {
        QFETCH(QString, headers);
        RunningServer server;
        RawSocket socket(server.address());
        QVERIFY(socket.send("GET /healthz HTTP/1.1\r\n" + headers.toStdString()
                            + "Authorization: Bearer t\r\n\r\n"));
        const auto answer = socket.readUntil("Bearer t", 5s);
        QVERIFY2(answer.starts_with("HTTP/1.1 200 OK"), answer.c_str());
    }

    void aHandlerThatThrowsGetsA500AndTheServerGoesOn()
    {
        RunningServer server(
            [](const meshcore::admin::ApiRequest &r) -> meshcore::admin::ApiResponse {
                if (r.target == "/throw")
                    throw std::runtime_error("handler bug");
                return echo(r);
            });
        RawSocket socket(server.address());
        QVERIFY(socket.send("GET /throw HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        const auto answer = socket.readUntil("}\n", 5s);
        QVERIFY2(answer.starts_with("HTTP/1.1 500"), answer.c_str());
        QCOMPARE(errorCode(answer), std::string("internal"));
        QVERIFY(socket.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        QVERIFY2(socket.readUntil("GET /healthz", 5s).starts_with("HTTP/1.1 200"),
                 "the connection goes on");
        QVERIFY(server.stopAndJoin(5s));
    }

    void aStreamThatThrowsEndsAndTheServerGoesOn()
    {
        RunningServer server([](const meshcore::admin::ApiRequest &r) {
            if (r.target != "/stream")
                return echo(r);
            meshcore::admin::ApiResponse response {200, "application/x-ndjson", "first\n"};
            response.stream = std::make_shared<ThrowingStream>();
            return response;
        });
        RawSocket socket(server.address());
        QVERIFY(socket.send("GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        bool closed = false;
        const auto answer = socket.readUntil("", 5s, &closed);
        QVERIFY2(answer.starts_with("HTTP/1.1 200"), answer.c_str());
        QVERIFY(answer.find("first\n") != std::string::npos);
        QVERIFY2(answer.ends_with("0\r\n\r\n"), answer.c_str()); // a proper end, no partial line
        QVERIFY(answer.find("partial") == std::string::npos);
        QVERIFY(closed);
        RawSocket next(server.address());
        QVERIFY(next.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
        QVERIFY(next.readUntil("GET /healthz", 5s).starts_with("HTTP/1.1 200"));
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
