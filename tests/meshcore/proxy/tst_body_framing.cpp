// BodyReader (where a body ends) and relayBody (the coroutine that forwards it), below the socket
// level: exact framings, the malformed ones the proxies must refuse, and a property test over
// random bodies, chunkings and read boundaries with a fixed seed.
#include <utility>

#include <QTest>

#include <random>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>

#include "proxy/body_framing.h"
#include "proxy/http_relay.h"

using namespace meshcore::proxy;

namespace {

struct Fed {
    std::string forwarded; // the bytes the reader accepted, as the relay sends them
    std::string payload; // the payload they carried
    std::string rest; // what was left after the body
    bool done = false;
    bool failed = false;
    std::string problem;
};

// Feeds `wire` to a reader in pieces of `pieces` bytes (cycled), as the relay does: what the
// reader does not take stays buffered and the next piece is appended to it.
Fed feed(BodyFraming framing, const std::string &wire, const std::vector<std::size_t> &pieces,
         bool endAtClose = false)
{
    BodyReader reader(framing);
    Fed fed;
    std::string buffer;
    std::size_t at = 0;
    for (std::size_t piece = 0;; ++piece) {
        std::string_view data;
        std::size_t used = 0;
        while (const std::size_t n = reader.take(std::string_view(buffer).substr(used), data)) {
            fed.payload.append(data);
            used += n;
        }
        fed.forwarded.append(buffer, 0, used);
        buffer.erase(0, used);
        if (reader.done() || reader.failed())
            break;
        if (at == wire.size()) {
            if (endAtClose)
                reader.finishAtEnd();
            break;
        }
        const std::size_t n = std::min(pieces[piece % pieces.size()], wire.size() - at);
        buffer.append(wire, at, n);
        at += n;
    }
    fed.done = reader.done();
    fed.failed = reader.failed();
    fed.problem = reader.problem();
    fed.rest = buffer + wire.substr(at);
    return fed;
}

// A chunked encoding of `body` with the given chunk sizes (cycled), extensions on some chunks
// and optional trailers.
std::string chunkedEncoding(const std::string &body, const std::vector<std::size_t> &sizes,
                            bool extensions, bool trailers)
{
    std::string out;
    char size[32];
    std::size_t i = 0;
    for (std::size_t at = 0; at < body.size(); ++i) {
        const std::size_t n
            = std::min(std::max<std::size_t>(sizes[i % sizes.size()], 1), body.size() - at);
        std::snprintf(size, sizeof size, i % 2 ? "%zx" : "%zX", n);
        out += size;
        if (extensions && i % 3 == 0)
            out += ";name=\"va lue\"";
        out += "\r\n" + body.substr(at, n) + "\r\n";
        at += n;
    }
    out += "0\r\n";
    if (trailers)
        out += "X-Checksum: abc\r\nX-Other: d e f\r\n";
    return out + "\r\n";
}

std::string randomBytes(std::mt19937 &random, std::size_t n)
{
    std::string bytes(n, '\0');
    for (auto &c : bytes)
        c = static_cast<char>(random() & 0xff);
    return bytes;
}

std::size_t interestingSize(std::mt19937 &random)
{
    static const std::size_t sizes[] = {0, 1, 2, 16383, 16384, 16385, 65535, 65536, 65537, 131072};
    if (random() % 2)
        return sizes[random() % std::size(sizes)];
    return random() % (random() % 4 ? 4096 : 300000);
}

std::vector<std::size_t> randomPieces(std::mt19937 &random)
{
    std::vector<std::size_t> pieces(1 + random() % 8);
    for (auto &p : pieces) {
        switch (random() % 4) {
        case 0:
            p = 1 + random() % 3;
            break;
        case 1:
            p = 1 + random() % 64;
            break;
        case 2:
            p = 1 + random() % 20000;
            break;
        default:
            p = 1 + random() % 70000;
            break;
        }
    }
    return pieces;
}

// Runs relayBody over Beast's test streams: `wire` arrives `readSize` bytes per read.
RelayOutcome relay(BodyFraming framing, const std::string &wire, std::size_t readSize,
                   std::string &sent, std::string &left, bool decode = false)
{
    boost::asio::io_context io;
    boost::beast::test::stream in(io), out(io), peer(io);
    out.connect(peer);
    in.append(wire);
    in.read_size(readSize);
    in.close_remote(); // the sender closes after its bytes: eof
    boost::beast::flat_buffer buffer(MaxHeaderBytes + RelayChunkBytes);
    BodyReader reader(framing);
    RelayOutcome outcome;
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
            outcome = co_await relayBody(in, buffer, reader, out, "HEAD\r\n\r\n", decode);
        },
        boost::asio::detached);
    io.run();
    sent = std::string(peer.str());
    left = std::string(detail::bufferedBytes(buffer)) + std::string(in.str());
    return outcome;
}

} // namespace

class TestBodyFraming : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void contentLengthTakesExactlyItsBytes()
    {
        const auto fed = feed(BodyFraming::ofLength(5),
                              "hello"
                              "GET / HTTP/1.1\r\n",
                              {2});
        QVERIFY(fed.done);
        QCOMPARE(fed.payload, std::string("hello"));
        QCOMPARE(fed.rest, std::string("GET / HTTP/1.1\r\n"));
    }

    void aBodyCutShortIsNotComplete()
    {
        const auto fed = feed(BodyFraming::ofLength(10), "hello", {3}, true);
        QVERIFY(fed.failed);
        QVERIFY2(fed.problem.find("5 of 10") != std::string::npos, fed.problem.c_str());
        const auto chunked = feed(BodyFraming::chunked(), "5\r\nhello\r\n", {1}, true);
        QVERIFY(chunked.failed);
        QVERIFY(!chunked.done);
    }

    void untilCloseEndsAtTheClose()
    {
        const auto fed = feed(BodyFraming::untilClose(), "all of it", {4}, true);
        QVERIFY(fed.done);
        QCOMPARE(fed.payload, std::string("all of it"));
    }

    void chunkedWithExtensionsAndTrailers()
    {
        const std::string wire
            = "1;a=b\r\n<\r\n0000000000000000000003 ; x\r\nabc\r\n0\r\nX-T: 1\r\n\r\nNEXT";
        const auto fed = feed(BodyFraming::chunked(), wire, {1});
        QVERIFY(fed.done);
        QCOMPARE(fed.payload, std::string("<abc"));
        QCOMPARE(fed.forwarded, wire.substr(0, wire.size() - 4));
        QCOMPARE(fed.rest, std::string("NEXT"));
    }

    void malformedChunkingIsRefused_data()
    {
        QTest::addColumn<QByteArray>("wire");
        QTest::newRow("18 hex digits") << QByteArray("ffffffffffffffffff\r\n");
        QTest::newRow("negative") << QByteArray("-5\r\nhello\r\n0\r\n\r\n");
        QTest::newRow("0x prefix") << QByteArray("0x5\r\nhello\r\n0\r\n\r\n");
        QTest::newRow("empty size") << QByteArray("\r\nhello\r\n");
        QTest::newRow("bare LF") << QByteArray("5\nhello\r\n0\r\n\r\n");
        QTest::newRow("CR without LF") << QByteArray("5\rhello");
        QTest::newRow("data longer than size") << QByteArray("3\r\nhello\r\n0\r\n\r\n");
        QTest::newRow("garbage size") << QByteArray("zz\r\n");
        QTest::newRow("space inside size") << QByteArray("1 2\r\nab\r\n");
        QTest::newRow("control char in extension") << QByteArray("1;\x01\r\na\r\n0\r\n\r\n", 15);
        QTest::newRow("trailer without colon") << QByteArray("0\r\nnot a field\r\n\r\n");
        QTest::newRow("trailer bare LF") << QByteArray("0\r\nX: 1\n\r\n");
        QTest::newRow("size line too long") << QByteArray("1;") + QByteArray(5000, 'a');
    }
    void malformedChunkingIsRefused()
    {
        QFETCH(QByteArray, wire);
        for (const std::size_t piece : {std::size_t(1), std::size_t(7), std::size_t(100000)}) {
            const auto fed = feed(BodyFraming::chunked(), wire.toStdString(), {piece});
            QVERIFY2(fed.failed, qPrintable(QStringLiteral("piece %1").arg(piece)));
            QVERIFY(!fed.problem.empty());
        }
    }

    // The property: for any body, chunking and read boundaries, the reader accepts exactly the
    // encoded body (so it is forwarded byte for byte), yields exactly the payload, and leaves the
    // next message untouched.
    void randomBodiesChunkingsAndReadsRoundTrip()
    {
        std::mt19937 random(20261202);
        for (int i = 0; i < 3000; ++i) {
            const std::string body = randomBytes(random, interestingSize(random));
            const std::string next = random() % 2 ? "GET /next HTTP/1.1\r\n\r\n" : "";
            const bool chunked = random() % 3 != 0;
            std::vector<std::size_t> sizes(1 + random() % 5);
            for (auto &s : sizes)
                s = random() % 2 ? 1 + random() % 16 : 1 + random() % 40000;
            const std::string encoded
                = chunked ? chunkedEncoding(body, sizes, random() % 2, random() % 4 == 0) : body;
            const auto framing
                = chunked ? BodyFraming::chunked() : BodyFraming::ofLength(body.size());
            const auto fed = feed(framing, encoded + next, randomPieces(random));
            const QByteArray where = "case " + QByteArray::number(i) + " size "
                + QByteArray::number(qulonglong(body.size()));
            QVERIFY2(fed.done && !fed.failed, where + " " + fed.problem.c_str());
            QVERIFY2(fed.payload == body, where);
            QVERIFY2(fed.forwarded == encoded, where);
            QVERIFY2(fed.rest == next, where);
        }
    }

    // The same property through the coroutine, over Beast's in-memory streams: the receiver gets
    // the head and then the body byte for byte, whatever the read size.
    void relayForwardsBodiesByteForByte()
    {
        std::mt19937 random(7);
        for (int i = 0; i < 400; ++i) {
            const std::size_t readSize = random() % 2 ? 1 + random() % 8 : 1 + random() % 70000;
            // (Tiny reads of big bodies take long in a debug build and prove nothing more.)
            const std::string body
                = randomBytes(random, interestingSize(random) % (readSize < 8 ? 20000 : 400000));
            const bool chunked = random() % 2;
            const std::string encoded = chunked
                ? chunkedEncoding(body, {1 + random() % 20000, 1 + random() % 7}, false, false)
                : body;
            const std::string next = random() % 2 ? "NEXT" : "";
            std::string sent, left;
            const auto outcome
                = relay(chunked ? BodyFraming::chunked() : BodyFraming::ofLength(body.size()),
                        encoded + next, readSize, sent, left);
            const QByteArray where = "case " + QByteArray::number(i);
            QVERIFY2(outcome.result == RelayResult::Done, where + " " + outcome.problem.c_str());
            QVERIFY2(sent == "HEAD\r\n\r\n" + encoded, where);
            QVERIFY2(left == next, where);
        }
    }

    void relayDecodesChunkedForHttp10Clients()
    {
        std::string sent, left;
        const auto outcome
            = relay(BodyFraming::chunked(), "3\r\nabc\r\n2;x=y\r\nde\r\n0\r\nT: v\r\n\r\n", 2, sent,
                    left, true);
        QVERIFY(outcome.result == RelayResult::Done);
        QCOMPARE(sent, std::string("HEAD\r\n\r\nabcde"));
    }

    void relayReportsABodyCutShort()
    {
        std::string sent, left;
        auto outcome = relay(BodyFraming::ofLength(100), std::string(60, 'x'), 16, sent, left);
        QVERIFY(outcome.result == RelayResult::InputFailed);
        QVERIFY(outcome.headWritten);
        outcome = relay(BodyFraming::chunked(), "5\r\nhello\r\n", 3, sent, left);
        QVERIFY(outcome.result == RelayResult::InputFailed);
        QVERIFY(sent.find("0\r\n\r\n") == std::string::npos); // never completed
        outcome = relay(BodyFraming::chunked(), "5\r\nhello\r\n-1\r\n", 100, sent, left);
        QVERIFY(outcome.result == RelayResult::InputMalformed);
    }
};

QTEST_GUILESS_MAIN(TestBodyFraming)
#include "tst_body_framing.moc"
