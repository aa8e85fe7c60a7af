// Opaque TCP as the mesh carries it: a client, the caller's relay (plain in, mTLS out, ALPN
// meshscope.tcp/1), the callee's relay (mTLS in, plain out) and a backend, all on real loopback
// sockets with certificates from a real CA. Bytes both ways at once, half-close, a backend that
// speaks first, resets and idle connections.
#include <utility>

#include <QTemporaryDir>
#include <QTest>

#include <functional>
#include <random>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "ca/certificate_authority.h"
#include "ca/csr.h"
#include "proxy/opaque_relay.h"
#include "proxy/tls_contexts.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using namespace meshcore;
using namespace std::chrono_literals;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace {

std::shared_ptr<asio::ssl::context> contextFor(ca::CertificateAuthority &authority,
                                               const std::string &service, bool server)
{
    const ca::SpiffeId id {"mesh.local", "shop", service};
    auto key = *ca::PrivateKey::generateP256();
    auto issued = authority.issue(*ca::createCsrPem(key, id), id, std::nullopt);
    if (!issued)
        qFatal("%s", issued.error().message.c_str());
    return server ? *proxy::makeServerContext(*issued, key)
                  : *proxy::makeClientContext(*issued, key);
}

std::string randomBytes(std::size_t size, unsigned seed)
{
    std::mt19937 generator(seed);
    std::string bytes(size, '\0');
    for (auto &byte : bytes)
        byte = static_cast<char>(generator());
    return bytes;
}

// Reads until the peer's end of stream; `ec` says how it ended.
std::string readToEnd(tcp::socket &socket, boost::system::error_code &ec)
{
    std::string data;
    asio::read(socket, asio::dynamic_buffer(data), ec);
    return data;
}

using Peer = std::function<void(tcp::socket &)>;

class Harness {
public:
    explicit Harness(std::chrono::milliseconds idle = 10s)
        : m_idle(idle)
    {
        auto authority = std::move(*ca::CertificateAuthority::openOrCreate(
            m_dir.path().toStdString(), ca::CaSettings {}, systemClock()));
        m_client = contextFor(*authority, "web", false);
        m_server = contextFor(*authority, "redis", true);
    }

    // Runs `client` against `backend` through both relays, each peer on its own thread.
    void run(const Peer &client, const Peer &backend)
    {
        tcp::acceptor front(m_io, {asio::ip::make_address("127.0.0.1"), 0});
        tcp::acceptor middle(m_io, {asio::ip::make_address("127.0.0.1"), 0});
        asio::io_context backendIo;
        tcp::acceptor back(backendIo, {asio::ip::make_address("127.0.0.1"), 0});
        asio::co_spawn(m_io, callerRelay(front, middle.local_endpoint()), recorder());
        asio::co_spawn(m_io, calleeRelay(middle, back.local_endpoint()), recorder());
        std::thread backendThread([&] {
            tcp::socket socket(backendIo);
            back.accept(socket);
            backend(socket);
        });
        std::thread clientThread([&, port = front.local_endpoint().port()] {
            asio::io_context clientIo;
            tcp::socket socket(clientIo);
            socket.connect({asio::ip::make_address("127.0.0.1"), port});
            client(socket);
        });
        m_io.run_for(60s);
        clientThread.join();
        backendThread.join();
    }

    proxy::RelayEnd caller; // how the caller's relay ended
    proxy::RelayEnd callee;
    proxy::HopProtocol agreed = proxy::HopProtocol::Http1;
    int failures = 0; // relays that threw

private:
    std::function<void(std::exception_ptr)> recorder()
    {
        return [this](const std::exception_ptr &error) { failures += error ? 1 : 0; };
    }

    asio::awaitable<void> callerRelay(tcp::acceptor &front, tcp::endpoint middle)
    {
        beast::tcp_stream down(co_await front.async_accept(asio::use_awaitable));
        TlsStream up(beast::tcp_stream(m_io), *m_client);
        co_await beast::get_lowest_layer(up).async_connect(middle, asio::use_awaitable);
        proxy::offerHopProtocol(up.native_handle(), proxy::HopProtocol::Tcp);
        co_await up.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
        agreed = proxy::negotiatedHopProtocol(up.native_handle());
        beast::flat_buffer already;
        proxy::OpaqueRelay relay(down, already, up, m_idle);
        caller = co_await relay.run();
    }

    asio::awaitable<void> calleeRelay(tcp::acceptor &middle, tcp::endpoint backend)
    {
        TlsStream down(beast::tcp_stream(co_await middle.async_accept(asio::use_awaitable)),
                       *m_server);
        co_await down.async_handshake(asio::ssl::stream_base::server, asio::use_awaitable);
        beast::tcp_stream up(m_io);
        co_await up.async_connect(backend, asio::use_awaitable);
        beast::flat_buffer nothing;
        proxy::OpaqueRelay relay(down, nothing, up, m_idle);
        callee = co_await relay.run();
    }

    QTemporaryDir m_dir;
    std::chrono::milliseconds m_idle;
    std::shared_ptr<asio::ssl::context> m_client;
    std::shared_ptr<asio::ssl::context> m_server;
    asio::io_context m_io;
};

} // namespace

class TestOpaqueRelay : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // 32 MiB each way at the same time, every byte in order; the hop agreed on opaque TCP.
    void carriesBothWaysAtOnce()
    {
        const auto up = randomBytes(32 << 20, 1);
        const auto down = randomBytes(32 << 20, 2);
        std::string gotUp;
        std::string gotDown;
        Harness harness;
        const auto sendAndReceive
            = [](tcp::socket &socket, const std::string &out, std::string &in) {
                  std::thread writer([&] {
                      boost::system::error_code ec;
                      asio::write(socket, asio::buffer(out), ec);
                      socket.shutdown(tcp::socket::shutdown_send, ec);
                  });
                  boost::system::error_code ec;
                  in = readToEnd(socket, ec);
                  writer.join();
              };
        harness.run([&](tcp::socket &s) { sendAndReceive(s, up, gotDown); },
                    [&](tcp::socket &s) { sendAndReceive(s, down, gotUp); });
        QCOMPARE(harness.failures, 0);
        QCOMPARE(harness.agreed, proxy::HopProtocol::Tcp);
        QCOMPARE(gotUp.size(), up.size());
        QVERIFY(gotUp == up);
        QCOMPARE(gotDown.size(), down.size());
        QVERIFY(gotDown == down);
        QCOMPARE(harness.caller.fromDown, std::uint64_t(up.size()));
        QCOMPARE(harness.caller.fromUp, std::uint64_t(down.size()));
        QVERIFY(!harness.caller.failed && !harness.callee.failed);
    }

    // The client sends its request and half-closes (as `nc -N` and Python's shutdown(SHUT_WR)
    // do); the backend reads to the end, then answers: the whole answer reaches the client.
    void aHalfCloseStillCarriesTheReply()
    {
        const auto request = randomBytes(1 << 20, 3);
        const auto reply = randomBytes(1 << 20, 4);
        std::string gotRequest;
        std::string gotReply;
        boost::system::error_code clientEnd;
        Harness harness;
        harness.run(
            [&](tcp::socket &s) {
                asio::write(s, asio::buffer(request));
                s.shutdown(tcp::socket::shutdown_send);
                gotReply = readToEnd(s, clientEnd);
            },
            [&](tcp::socket &s) {
                boost::system::error_code ec;
                gotRequest = readToEnd(s, ec);
                asio::write(s, asio::buffer(reply));
            });
        QVERIFY(gotRequest == request);
        QVERIFY(gotReply == reply);
        QCOMPARE(clientEnd, asio::error::make_error_code(asio::error::eof));
        QVERIFY(!harness.caller.failed && !harness.callee.failed);
        QVERIFY(!harness.caller.idle);
    }

    // A protocol where the server speaks first (SMTP, MySQL): its greeting comes through before
    // the client sends a byte.
    void aServerThatSpeaksFirstIsHeard()
    {
        std::string greeting;
        Harness harness;
        harness.run(
            [&](tcp::socket &s) {
                greeting.resize(11);
                asio::read(s, asio::buffer(greeting));
                asio::write(s, asio::buffer(std::string("QUIT\r\n")));
                s.shutdown(tcp::socket::shutdown_send);
                boost::system::error_code ec;
                readToEnd(s, ec);
            },
            [&](tcp::socket &s) {
                asio::write(s, asio::buffer(std::string("220 hello\r\n")));
                boost::system::error_code ec;
                readToEnd(s, ec);
            });
        QCOMPARE(greeting, std::string("220 hello\r\n"));
    }

    // A backend that resets its connection: the client sees a reset too, not a clean end it
    // would take for a whole stream.
    void aResetReachesTheClient()
    {
        boost::system::error_code clientEnd;
        Harness harness;
        harness.run(
            [&](tcp::socket &s) {
                asio::write(s, asio::buffer(std::string("hello")));
                readToEnd(s, clientEnd);
            },
            [&](tcp::socket &s) {
                std::string hello(5, '\0');
                asio::read(s, asio::buffer(hello));
                s.set_option(asio::socket_base::linger(true, 0));
                s.close();
            });
        QCOMPARE(clientEnd, asio::error::make_error_code(asio::error::connection_reset));
        QVERIFY(harness.callee.failed);
        QCOMPARE(harness.callee.errnoName, std::string("ECONNRESET"));
        QVERIFY(harness.caller.failed);
    }

    // No byte either way for the idle time: both ends are closed.
    void anIdleConnectionIsClosed()
    {
        boost::system::error_code clientEnd;
        const auto started = std::chrono::steady_clock::now();
        Harness harness(300ms);
        harness.run([&](tcp::socket &s) { readToEnd(s, clientEnd); },
                    [&](tcp::socket &s) {
                        boost::system::error_code ec;
                        readToEnd(s, ec);
                    });
        QVERIFY(std::chrono::steady_clock::now() - started >= 300ms);
        QCOMPARE(clientEnd, asio::error::make_error_code(asio::error::eof));
        QVERIFY(harness.caller.idle || harness.callee.idle);
        // Closed as cleanly as an end of stream, on every hop: no side is reset.
        QVERIFY(!harness.caller.failed);
        QVERIFY(!harness.callee.failed);
    }
};

QTEST_GUILESS_MAIN(TestOpaqueRelay)
#include "tst_opaque_relay.moc"
