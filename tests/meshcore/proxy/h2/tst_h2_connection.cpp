// HTTP/2 connections over loopback against peers that are not ours. Our server answers curl
// (--http2-prior-knowledge), h2load and Python's grpcio; our client talks to nginx's h2c. Bodies
// are checked by SHA-256, a 1 GiB upload must not grow our memory with it, and streams that go
// idle, connections that drain and servers that refuse streams end as RFC 9113 says.
#include <utility>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

#include <openssl/evp.h>

#include <atomic>
#include <future>
#include <random>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>

#include "core/proc_status.h"
#include "proxy/h2/h2_connection.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using namespace meshcore::proxy;
using namespace meshcore::proxy::h2;
using namespace std::chrono_literals;
using Connection = H2Connection<beast::tcp_stream>;

namespace {

const QString SupportDir = QStringLiteral(MESHSCOPE_TEST_SUPPORT_DIR);

class Sha256 {
public:
    Sha256() { EVP_DigestInit_ex(m_context.get(), EVP_sha256(), nullptr); }
    void add(std::string_view bytes)
    {
        EVP_DigestUpdate(m_context.get(), bytes.data(), bytes.size());
    }
    std::string hex()
    {
        std::array<unsigned char, EVP_MAX_MD_SIZE> digest {};
        unsigned size = 0;
        EVP_DigestFinal_ex(m_context.get(), digest.data(), &size);
        std::string out;
        for (unsigned i = 0; i < size; ++i) {
            std::array<char, 3> two {};
            std::snprintf(two.data(), two.size(), "%02x", digest.at(i));
            out += two.data();
        }
        return out;
    }

private:
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> m_context {EVP_MD_CTX_new(),
                                                                       &EVP_MD_CTX_free};
};

std::string field(const Headers &headers, std::string_view name)
{
    const auto *found = findHeader(headers, name);
    return found ? *found : std::string();
}

// Reads a stream's body to its end; false when it was reset first.
asio::awaitable<bool> readAll(H2Stream &stream, std::string *into, Sha256 *sha = nullptr,
                              std::uint64_t *bytes = nullptr)
{
    for (;;) {
        auto chunk = co_await stream.read();
        if (chunk.reset)
            co_return false;
        if (chunk.end)
            co_return true;
        if (into)
            into->append(chunk.bytes);
        if (sha)
            sha->add(chunk.bytes);
        if (bytes)
            *bytes += chunk.bytes.size();
    }
}

// The routes of the test server.
asio::awaitable<void> answer(std::shared_ptr<H2Stream> stream)
{
    const auto path = field(stream->head(), ":path");
    if (path == "/echo") { // the body back as it comes, then the request's trailers
        (void)stream->respond({{":status", "200"}, {"content-type", "application/octet-stream"}},
                              false);
        std::uint64_t bytes = 0;
        for (;;) {
            auto chunk = co_await stream->read();
            if (chunk.reset)
                co_return;
            if (chunk.end)
                break;
            bytes += chunk.bytes.size();
            if (!co_await stream->write(chunk.bytes))
                co_return;
        }
        auto trailers = stream->trailers();
        trailers.push_back({"x-echoed-bytes", std::to_string(bytes)});
        stream->finish(std::move(trailers));
    } else if (path == "/sink") { // the size and SHA-256 of the body
        Sha256 sha;
        std::uint64_t bytes = 0;
        if (!co_await readAll(*stream, nullptr, &sha, &bytes))
            co_return;
        (void)stream->respond({{":status", "200"}}, false);
        const auto summary = std::to_string(bytes) + " " + sha.hex() + "\n"; // (not a temporary
        co_await stream->write(summary); // in a co_await: GCC 12 destroys those twice)
        stream->finish();
    } else if (path == "/download") { // 1 GiB of zeros, written as fast as the window allows
        (void)stream->respond({{":status", "200"}}, false);
        const std::string block(std::size_t {1} << 16, '\0');
        for (int i = 0; i < 16384; ++i)
            if (!co_await stream->write(block))
                co_return;
        stream->finish();
    } else if (path == "/test.Echo/Call") { // gRPC: the request's messages back, status OK
        std::string body;
        if (!co_await readAll(*stream, &body))
            co_return;
        (void)stream->respond({{":status", "200"}, {"content-type", "application/grpc"}}, false);
        co_await stream->write(body);
        stream->finish({{"grpc-status", "0"}});
    } else if (path == "/test.Echo/Fail") { // gRPC trailers-only
        co_await readAll(*stream, nullptr);
        (void)stream->respond({{":status", "200"},
                               {"content-type", "application/grpc"},
                               {"grpc-status", "5"},
                               {"grpc-message", "no such thing"}},
                              true);
    } else if (path == "/wait") { // answers once the request's body ended
        co_await readAll(*stream, nullptr);
        (void)stream->respond({{":status", "204"}}, true);
    } else {
        (void)stream->respond({{":status", path == "/hello" ? "200" : "404"}}, false);
        co_await stream->write("hello\n");
        stream->finish();
    }
}

asio::awaitable<void> runConnection(std::shared_ptr<Connection> connection)
{
    co_await connection->run();
}

// Our HTTP/2 server on a thread of its own.
class Server {
public:
    explicit Server(const MonotonicClock &clock = systemMonotonicClock(), H2Limits limits = {})
        : m_acceptor(m_io, {asio::ip::make_address("127.0.0.1"), 0})
        , m_clock(clock)
        , m_limits(limits)
    {
        asio::co_spawn(m_io, accept(), asio::detached);
        m_thread = std::thread([this] { m_io.run(); });
    }
    ~Server()
    {
        m_io.stop();
        m_thread.join();
    }
    Server(const Server &) = delete;
    Server &operator=(const Server &) = delete;

    unsigned short port() const { return m_acceptor.local_endpoint().port(); }
    QString url(const QString &path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(port()).arg(path);
    }
    int connections() const { return m_connections; }
    // Drains every connection open now (on the server's thread).
    void drain()
    {
        asio::post(m_io, [this] {
            for (auto &weak : m_open)
                if (auto connection = weak.lock())
                    connection->drain();
        });
    }

private:
    asio::awaitable<void> accept()
    {
        for (;;) {
            auto socket = co_await m_acceptor.async_accept(asio::use_awaitable);
            ++m_connections;
            auto connection = Connection::server(beast::tcp_stream(std::move(socket)), m_limits,
                                                 m_clock, [this](std::shared_ptr<H2Stream> stream) {
                                                     asio::co_spawn(m_io, answer(std::move(stream)),
                                                                    asio::detached);
                                                 });
            if (!connection)
                qFatal("%s", connection.error().message.c_str());
            m_open.push_back(*connection);
            asio::co_spawn(m_io, runConnection(*connection), asio::detached);
        }
    }

    asio::io_context m_io;
    tcp::acceptor m_acceptor;
    const MonotonicClock &m_clock;
    H2Limits m_limits;
    std::vector<std::weak_ptr<Connection>> m_open;
    std::atomic<int> m_connections {0};
    std::thread m_thread;
};

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// Runs a command; the peak RSS of this process while it ran into `peakKib` when given.
Run run(const QString &program, const QStringList &args, int timeoutMs = 120000,
        std::uint64_t *peakKib = nullptr)
{
    QProcess process;
    process.start(program, args);
    Run result;
    if (!process.waitForStarted())
        return result;
    QElapsedTimer elapsed;
    elapsed.start();
    while (!process.waitForFinished(50) && elapsed.elapsed() < timeoutMs) {
        if (peakKib)
            *peakKib = std::max(*peakKib, meshcore::residentKib(::getpid()).value_or(0));
    }
    if (process.state() != QProcess::NotRunning) {
        process.kill();
        process.waitForFinished();
    } else if (process.exitStatus() == QProcess::NormalExit) {
        result.exitCode = process.exitCode();
    }
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    if (result.exitCode != 0)
        qInfo() << program << args << "exit" << result.exitCode << result.err;
    return result;
}

Run curl(const QStringList &args)
{
    return run(QStringLiteral("curl"),
               QStringList {QStringLiteral("-sS"), QStringLiteral("--http2-prior-knowledge")}
                   + args);
}

std::string randomBytes(std::size_t size, unsigned seed)
{
    std::mt19937 generator(seed);
    std::string bytes(size, '\0');
    for (auto &byte : bytes)
        byte = static_cast<char>(generator());
    return bytes;
}

Headers get(unsigned short port, const std::string &path, const std::string &method = "GET")
{
    return {{":method", method},
            {":scheme", "http"},
            {":authority", "127.0.0.1:" + std::to_string(port)},
            {":path", path}};
}

// Our client connected to 127.0.0.1:`port`, run on `io`.
std::shared_ptr<Connection> connectClient(asio::io_context &io, unsigned short port,
                                          const MonotonicClock &clock = systemMonotonicClock())
{
    tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    auto connection = Connection::client(beast::tcp_stream(std::move(socket)), H2Limits {}, clock);
    if (!connection)
        qFatal("%s", connection.error().message.c_str());
    asio::co_spawn(io, runConnection(*connection), asio::detached);
    return *connection;
}

// Runs `scenario` on a fresh io_context until it is done (or 60 s passed); its result.
template <class T> T runScenario(asio::io_context &io, asio::awaitable<T> scenario)
{
    auto future = asio::co_spawn(io, std::move(scenario), asio::use_future);
    const auto giveUp = std::chrono::steady_clock::now() + 60s;
    while (future.wait_for(0s) != std::future_status::ready && !io.stopped()
           && std::chrono::steady_clock::now() < giveUp)
        io.run_for(100ms);
    if (future.wait_for(0s) != std::future_status::ready)
        qFatal("the scenario did not end in 60 s");
    return future.get();
}

} // namespace

class TestH2Connection : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void curlGetsAResponseAndItsHeaders()
    {
        Server server;
        const auto result = curl({QStringLiteral("-i"), server.url(QStringLiteral("/hello"))});
        QCOMPARE(result.exitCode, 0);
        QVERIFY2(result.out.startsWith("HTTP/2 200"), result.out.constData());
        QVERIFY(result.out.endsWith("hello\n"));
        const auto missing
            = curl({QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"),
                    QStringLiteral("%{http_code}"), server.url(QStringLiteral("/nothing"))});
        QCOMPARE(missing.out, QByteArray("404"));
    }

    // 1 GiB from curl into /sink: the digest matches, and our memory does not follow the body.
    void aGibibyteUploadIsStreamedInBoundedMemory()
    {
        Server server;
        const auto before = meshcore::residentKib(::getpid()).value_or(0);
        std::uint64_t peak = before;
        const auto result
            = run(QStringLiteral("bash"),
                  {QStringLiteral("-c"),
                   QStringLiteral("head -c 1073741824 /dev/zero | curl -sS --http2-prior-knowledge "
                                  "-T - %1")
                       .arg(server.url(QStringLiteral("/sink")))},
                  180000, &peak);
        QCOMPARE(result.exitCode, 0);
        Sha256 zeros;
        const std::string block(std::size_t {1} << 20, '\0');
        for (int i = 0; i < 1024; ++i)
            zeros.add(block);
        QCOMPARE(result.out.trimmed().toStdString(), "1073741824 " + zeros.hex());
        qInfo() << "RSS" << before << "KiB before," << peak << "KiB at the peak";
        QVERIFY2(peak - before < std::uint64_t {8} * 1024, std::to_string(peak - before).c_str());
    }

    // 1 GiB to curl: what was sent is let go as it goes, so memory does not follow the body.
    void aGibibyteDownloadIsStreamedInBoundedMemory()
    {
        Server server;
        const auto before = meshcore::residentKib(::getpid()).value_or(0);
        std::uint64_t peak = before;
        const auto result
            = run(QStringLiteral("curl"),
                  {QStringLiteral("-sS"), QStringLiteral("--http2-prior-knowledge"),
                   QStringLiteral("-o"), QStringLiteral("/dev/null"), QStringLiteral("-w"),
                   QStringLiteral("%{size_download}"), server.url(QStringLiteral("/download"))},
                  180000, &peak);
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out, QByteArray("1073741824"));
        qInfo() << "RSS" << before << "KiB before," << peak << "KiB at the peak";
        QVERIFY2(peak - before < std::uint64_t {8} * 1024, std::to_string(peak - before).c_str());
    }

    void curlUploadsAreEchoedWithTrailers()
    {
        Server server;
        QTemporaryDir dir;
        const auto body = randomBytes(3'000'001, 7);
        QFile file(dir.filePath(QStringLiteral("body")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(body.data(), static_cast<qint64>(body.size()));
        file.close();
        const auto result = curl({QStringLiteral("--data-binary"), "@" + file.fileName(),
                                  server.url(QStringLiteral("/echo"))});
        QCOMPARE(result.exitCode, 0);
        QVERIFY(result.out.toStdString() == body);
    }

    void h2loadCompletesEveryRequest()
    {
        Server server;
        const auto result = run(QStringLiteral("h2load"),
                                {QStringLiteral("-n"), QStringLiteral("20000"),
                                 QStringLiteral("-c"), QStringLiteral("4"), QStringLiteral("-m"),
                                 QStringLiteral("32"), server.url(QStringLiteral("/hello"))});
        QCOMPARE(result.exitCode, 0);
        const QRegularExpression summary(
            QStringLiteral("requests: 20000 total, 20000 started, 20000 done, 20000 succeeded, 0 "
                           "failed, 0 errored"));
        QVERIFY2(summary.match(QString::fromUtf8(result.out)).hasMatch(), result.out.constData());
        QCOMPARE(server.connections(), 4);
    }

    // grpcio's own client: unary calls with OK, a trailers-only status, and a 1 MiB message.
    void grpcioCallsAndStatuses()
    {
        Server server;
        const auto result = run(QStringLiteral("/usr/bin/python3"),
                                {SupportDir + QStringLiteral("/grpc_generic_client.py"),
                                 QStringLiteral("127.0.0.1:%1").arg(server.port())});
        QCOMPARE(result.exitCode, 0);
        QCOMPARE(result.out.trimmed(),
                 QByteArray("ok 5 echoed\nok 1048576 echoed\nstatus NOT_FOUND no such thing"));
    }

    // Our client against nginx's h2c: 50 streams at once on one connection, a 4 MiB file, and an
    // 8 MiB PUT through our flow control and back.
    void ourClientAgainstNginx()
    {
        QTemporaryDir dir;
        QDir(dir.path()).mkpath(QStringLiteral("www/put"));
        const auto big = randomBytes(std::size_t {4} << 20, 11);
        QFile file(dir.filePath(QStringLiteral("www/big.bin")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(big.data(), static_cast<qint64>(big.size()));
        file.close();
        QFile small(dir.filePath(QStringLiteral("www/small.txt")));
        QVERIFY(small.open(QIODevice::WriteOnly));
        small.write("small\n");
        small.close();
        const unsigned short port = freePort();
        QFile config(dir.filePath(QStringLiteral("nginx.conf")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(nginxConfig(dir.path(), port).toUtf8());
        config.close();
        QProcess nginx;
        nginx.start(QStringLiteral("nginx"),
                    {QStringLiteral("-c"), config.fileName(), QStringLiteral("-p"), dir.path(),
                     QStringLiteral("-g"), QStringLiteral("daemon off;")});
        QVERIFY(nginx.waitForStarted());
        QVERIFY(waitForPort(port));
        asio::io_context io;
        auto client = connectClient(io, port);
        const auto upload = randomBytes(std::size_t {8} << 20, 12);
        const auto summary = runScenario(io, againstNginx(client, port, big, upload));
        nginx.terminate();
        nginx.waitForFinished();
        QCOMPARE(QString::fromStdString(summary), QStringLiteral("50 small, big ok, put ok"));
    }

    // A stream with no frame either way for the idle time is cancelled; the connection stays.
    void anIdleStreamIsCancelled()
    {
        ManualMonotonicClock clock;
        Server server(clock);
        asio::io_context io;
        auto client = connectClient(io, server.port());
        const auto code = runScenario(io, idleStream(client, server.port(), clock));
        QCOMPARE(code, std::string("CANCEL then 200"));
    }

    // A drained server takes no new stream but finishes the one under way, then closes.
    void aDrainFinishesTheStreamsUnderWay()
    {
        Server server;
        asio::io_context io;
        auto client = connectClient(io, server.port());
        const auto story = runScenario(io, drainStory(client, server));
        QCOMPARE(story, std::string("204, refused after GOAWAY, closed"));
    }

    // Helpers (not tests: QtTest runs only the slots above).
public:
    static unsigned short freePort()
    {
        asio::io_context io;
        tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
        return probe.local_endpoint().port();
    }
    static bool waitForPort(unsigned short port)
    {
        for (int i = 0; i < 100; ++i) {
            asio::io_context io;
            tcp::socket socket(io);
            boost::system::error_code ec;
            socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
            if (!ec)
                return true;
            QTest::qWait(50);
        }
        return false;
    }
    static QString nginxConfig(const QString &root, unsigned short port)
    {
        return QStringLiteral(
                   "%1worker_processes 1;\nerror_log %2/error.log;\npid %2/nginx.pid;\n"
                   "events {}\nhttp {\n  access_log off;\n  client_body_temp_path %2/body;\n"
                   "  client_max_body_size 0;\n  proxy_temp_path %2/proxy;\n"
                   "  fastcgi_temp_path %2/fcgi;\n  uwsgi_temp_path %2/uwsgi;\n"
                   "  scgi_temp_path %2/scgi;\n"
                   "  server {\n    listen 127.0.0.1:%3 http2;\n    root %2/www;\n"
                   "    location /put/ { dav_methods PUT; create_full_put_path on; }\n  }\n}\n")
            .arg(::geteuid() == 0 ? QStringLiteral("user root;\n") : QString(), root)
            .arg(port);
    }

    // Whether `stream` got a `status` response whose body is `expected` (compared when given).
    // (One co_await per statement: GCC 12 mis-destroys temporaries of a co_await inside ?: or &&.)
    static asio::awaitable<bool> answered(std::shared_ptr<H2Stream> stream, std::string status,
                                          const std::string *expected)
    {
        const bool headed = co_await stream->waitHead();
        if (!headed || !field(stream->head(), ":status").starts_with(status))
            co_return false;
        std::string body;
        const bool whole = co_await readAll(*stream, &body);
        co_return whole && (!expected || body == *expected);
    }

    static asio::awaitable<std::string> againstNginx(std::shared_ptr<Connection> client,
                                                     unsigned short port, std::string big,
                                                     std::string upload)
    {
        std::vector<std::shared_ptr<H2Stream>> smalls;
        smalls.reserve(50);
        for (int i = 0; i < 50; ++i)
            smalls.push_back(*client->open(get(port, "/small.txt"), true));
        auto bigStream = *client->open(get(port, "/big.bin"), true);
        const std::string small = "small\n";
        int smallOk = 0;
        for (auto &stream : smalls) {
            const bool ok = co_await answered(stream, "200", &small);
            smallOk += ok ? 1 : 0;
        }
        const bool bigOk = co_await answered(bigStream, "200", &big);

        auto put = get(port, "/put/up.bin", "PUT");
        put.push_back({"content-length", std::to_string(upload.size())});
        auto putStream = *client->open(put, false);
        for (std::size_t at = 0; at < upload.size(); at += 100000) {
            const auto piece = std::string_view(upload).substr(at, 100000);
            co_await putStream->write(piece);
        }
        putStream->finish();
        const bool putDone = co_await answered(putStream, "2", nullptr);
        auto back = *client->open(get(port, "/put/up.bin"), true);
        const bool putOk = co_await answered(back, "200", &upload);
        client->drain();
        std::string summary = std::to_string(smallOk) + " small, big ";
        summary += bigOk ? "ok" : "bad";
        summary += ", put ";
        summary += putDone && putOk ? "ok" : "bad";
        co_return summary;
    }

    static asio::awaitable<std::string> idleStream(std::shared_ptr<Connection> client,
                                                   unsigned short port, ManualMonotonicClock &clock)
    {
        auto stalled = *client->open(get(port, "/wait", "POST"), false); // never ends its body
        co_await stalled->write("x");
        asio::steady_timer pause(co_await asio::this_coro::executor);
        // Two looks streamIdle apart see no frame on it: cancelled at the second.
        // (The server looks once a second: each advance waits for a look, on a loaded machine
        // perhaps more than one second.)
        for (int i = 0; i < 6 && !stalled->closed(); ++i) {
            clock.advance(301s);
            for (int j = 0; j < 25 && !stalled->closed(); ++j) {
                pause.expires_after(100ms);
                co_await pause.async_wait(asio::use_awaitable);
            }
        }
        std::string story = "open";
        if (stalled->closed())
            story = h2CodeName(stalled->closeCode());
        auto after = *client->open(get(port, "/hello"), true);
        const bool headed = co_await after->waitHead();
        story += " then ";
        story += headed ? field(after->head(), ":status") : std::string("nothing");
        client->drain();
        co_return story;
    }

    static asio::awaitable<std::string> drainStory(std::shared_ptr<Connection> client,
                                                   Server &server)
    {
        auto underWay = *client->open(get(server.port(), "/wait", "POST"), false);
        co_await underWay->write("first half");
        asio::steady_timer pause(co_await asio::this_coro::executor);
        pause.expires_after(200ms);
        co_await pause.async_wait(asio::use_awaitable);
        server.drain();
        // The GOAWAY comes a notice's time (1 s) after the shutdown notice.
        for (int i = 0; i < 30 && !client->core().goAwayReceived(); ++i) {
            pause.expires_after(100ms);
            co_await pause.async_wait(asio::use_awaitable);
        }
        const bool refused = !client->open(get(server.port(), "/hello"), true);
        co_await underWay->write("second half");
        underWay->finish();
        const bool headed = co_await underWay->waitHead();
        std::string story = headed ? field(underWay->head(), ":status") : "no answer";
        story += refused ? ", refused after GOAWAY" : ", opened after GOAWAY";
        for (int i = 0; i < 30 && !client->ended(); ++i) {
            pause.expires_after(100ms);
            co_await pause.async_wait(asio::use_awaitable);
        }
        story += client->ended() && client->failure().empty() ? ", closed" : ", still open";
        co_return story;
    }
};

QTEST_GUILESS_MAIN(TestH2Connection)
#include "tst_h2_connection.moc"
