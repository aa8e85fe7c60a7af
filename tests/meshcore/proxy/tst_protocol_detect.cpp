// Protocol detection: the first bytes of real protocols, whole and split as a slow client sends
// them, over a real loopback socket; silence ends in Opaque after the timeout.
#include <utility>

#include <QTest>

#include <atomic>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "proxy/protocol_detect.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using meshcore::proxy::Detected;
using namespace std::chrono_literals;

Q_DECLARE_METATYPE(Detected)

namespace {

const std::string Preface("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
// A Postgres StartupMessage: its length (18), protocol 3.0, "user" "app", the terminator.
const std::string PostgresStartup("\0\0\0\x12\0\x03\0\0user\0app\0\0", 18);

struct Detection {
    Detected detected = Detected::Closed;
    std::string buffered; // what detection left in the buffer
};

// Sends `pieces` one by one (with a pause between them) to a socket under detectProtocol, then
// keeps the connection open and silent, or closes it when `close`.
Detection detectOverLoopback(const std::vector<std::string> &pieces, bool close,
                             std::chrono::milliseconds timeout = 10000ms)
{
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    const auto port = acceptor.local_endpoint().port();
    Detection result;
    std::atomic<bool> done {false};
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
            beast::tcp_stream down(co_await acceptor.async_accept(asio::use_awaitable));
            beast::flat_buffer buffer;
            result.detected = co_await meshcore::proxy::detectProtocol(down, buffer, timeout);
            const auto data = buffer.cdata();
            result.buffered.assign(static_cast<const char *>(data.data()), data.size());
        },
        asio::detached);
    std::thread client([&] {
        asio::io_context clientIo;
        tcp::socket socket(clientIo);
        socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
        socket.set_option(tcp::no_delay(true));
        boost::system::error_code ec; // (detection may be done, and the socket gone, before all)
        for (const auto &piece : pieces) {
            asio::write(socket, asio::buffer(piece), ec);
            std::this_thread::sleep_for(pieces.size() > 40 ? 2ms : 20ms);
        }
        if (close)
            socket.shutdown(tcp::socket::shutdown_send, ec);
        while (!done) // silent and open until detection is done
            std::this_thread::sleep_for(5ms);
    });
    io.run();
    done = true;
    client.join();
    return result;
}

std::vector<std::string> split(const std::string &bytes, std::size_t piece)
{
    std::vector<std::string> pieces;
    for (std::size_t i = 0; i < bytes.size(); i += piece)
        pieces.push_back(bytes.substr(i, piece));
    return pieces;
}

} // namespace

class TestProtocolDetect : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void classifiesFirstBytes_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("expected"); // -1: needs more
        const auto row = [](const char *name, const std::string &bytes, int expected) {
            QTest::newRow(name) << QByteArray::fromStdString(bytes) << expected;
        };
        const int more = -1;
        const int http1 = int(Detected::Http1);
        const int http2 = int(Detected::Http2);
        const int opaque = int(Detected::Opaque);
        row("h2 preface", Preface, http2);
        row("h2 preface and a SETTINGS frame", Preface + std::string("\0\0\0\x04\0\0\0\0\0", 9),
            http2);
        row("1 byte of the preface", "P", more);
        row("7 bytes of the preface", Preface.substr(0, 7), more);
        row("23 bytes of the preface", Preface.substr(0, 23), more);
        row("GET origin-form", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", http1);
        row("HTTP/1.0", "GET /x HTTP/1.0\r\n", http1);
        row("POST absolute-form", "POST http://catalog/items?a=1 HTTP/1.1\r\n", http1);
        row("CONNECT authority-form", "CONNECT redis:6379 HTTP/1.1\r\n", http1);
        row("half a request line", "GET /items HTT", more);
        row("a method alone", "DELETE", more);
        row("request line without its LF", "GET / HTTP/1.1\r", more);
        row("Redis inline command", "GET key\r\n", opaque);
        row("Redis inline PING", "PING\r\n", opaque);
        row("RESP array", "*1\r\n$4\r\nPING\r\n", opaque);
        row("Postgres startup", PostgresStartup, opaque);
        row("TLS client hello", std::string("\x16\x03\x01\x02\x00\x01", 6), opaque);
        row("HTTP/2.0 request line", "GET / HTTP/2.0\r\n", opaque);
        row("bare LF", "GET / HTTP/1.1\n", opaque);
        row("two spaces", "GET  / HTTP/1.1\r\n", opaque);
        row("non-ASCII byte in the method", "G\xc3\xa9T / HTTP/1.1\r\n", opaque);
        row("8 KiB line with no end", "GET /" + std::string(8200, 'a'), opaque);
    }
    void classifiesFirstBytes()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, expected);
        const auto got = meshcore::proxy::classifyFirstBytes(bytes.toStdString());
        QCOMPARE(got ? int(*got) : -1, expected);
    }

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void detectsOverASocketWithoutLosingAByte_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("pieceSize");
        QTest::addColumn<Detected>("expected");
        const auto request = std::string("GET /items HTTP/1.1\r\nHost: catalog\r\n\r\n");
        QTest::newRow("preface whole")
            << QByteArray::fromStdString(Preface) << 24 << Detected::Http2;
        QTest::newRow("preface in 7-byte pieces")
            << QByteArray::fromStdString(Preface) << 7 << Detected::Http2;
        QTest::newRow("preface byte by byte")
            << QByteArray::fromStdString(Preface) << 1 << Detected::Http2;
        QTest::newRow("request byte by byte")
            << QByteArray::fromStdString(request) << 1 << Detected::Http1;
        QTest::newRow("redis inline in 2-byte pieces")
            << QByteArray("GET key\r\n") << 2 << Detected::Opaque;
        QTest::newRow("postgres startup")
            << QByteArray::fromStdString(PostgresStartup) << 18 << Detected::Opaque;
    }
    void detectsOverASocketWithoutLosingAByte()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, pieceSize);
        QFETCH(Detected, expected);
        const auto result = detectOverLoopback(split(bytes.toStdString(), pieceSize), false);
        QCOMPARE(result.detected, expected);
        // Every byte it read is still there, in order, for the protocol that serves them.
        QVERIFY(bytes.startsWith(QByteArray::fromStdString(result.buffered)));
        QVERIFY(!result.buffered.empty());
    }

    // A server-speaks-first protocol: the client says nothing, so after the timeout it is opaque.
    void silenceIsOpaqueAfterTheTimeout()
    {
        const auto started = std::chrono::steady_clock::now();
        const auto result = detectOverLoopback({}, false, 300ms);
        const auto took = std::chrono::steady_clock::now() - started;
        QCOMPARE(result.detected, Detected::Opaque);
        QVERIFY(result.buffered.empty());
        QVERIFY(took >= 300ms);
    }

    // A partial HTTP/1 line, then silence: opaque after the timeout, its bytes kept.
    void aPartialLineThenSilenceIsOpaque()
    {
        const auto result = detectOverLoopback({"GET /ite"}, false, 300ms);
        QCOMPARE(result.detected, Detected::Opaque);
        QCOMPARE(result.buffered, std::string("GET /ite"));
    }

    void aClientThatClosesFirstIsClosed()
    {
        QCOMPARE(detectOverLoopback({}, true).detected, Detected::Closed);
        // A few bytes and then the close: not HTTP, relayed as they are.
        const auto some = detectOverLoopback({"PING"}, true);
        QCOMPARE(some.detected, Detected::Opaque);
        QCOMPARE(some.buffered, std::string("PING"));
    }
};

QTEST_GUILESS_MAIN(TestProtocolDetect)
#include "tst_protocol_detect.moc"
