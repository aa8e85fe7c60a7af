// An outbound proxy (caller "web") and an inbound proxy (callee "api") in front of a real HTTP
// backend, all on loopback with real mTLS from a real CA: the request path of the mesh.
#include <utility>

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "ca/certificate_authority.h"
#include "ca/csr.h"
#include "proxy/inbound_proxy.h"
#include "proxy/outbound_proxy.h"
#include "proxy/tls_contexts.h"
#include "telemetry/prometheus_text.h"
#include "tests/support/http_backend.h"
#include "tests/support/raw_socket.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using namespace meshcore;
using namespace std::chrono_literals;

namespace {

const std::string WebId = "spiffe://mesh.local/ns/shop/sa/web";
const std::string ApiId = "spiffe://mesh.local/ns/shop/sa/api";

// Gives `tls` a new key and certificate from `authority`, as a renewal does; returns its serial.
std::string issueInto(ca::CertificateAuthority &authority, const std::string &service,
                      proxy::WorkloadTls &tls)
{
    const ca::SpiffeId id {"mesh.local", "shop", service};
    const auto key = *ca::PrivateKey::generateP256();
    const auto issued = *authority.issue(*ca::createCsrPem(key, id), id);
    tls.replace(*proxy::makeServerContext(issued, key), *proxy::makeClientContext(issued, key));
    return issued.leaf.serialHex();
}

std::shared_ptr<proxy::WorkloadTls> workloadTls(ca::CertificateAuthority &authority,
                                                const std::string &service)
{
    auto tls = std::make_shared<proxy::WorkloadTls>(
        ca::SpiffeId {"mesh.local", "shop", service}.toString());
    issueInto(authority, service, *tls);
    return tls;
}

// The serial of the certificate a new TLS connection to `address` is served with.
std::string servedSerial(const Address &address, asio::ssl::context &clientContext)
{
    asio::io_context io;
    asio::ssl::stream<tcp::socket> stream(io, clientContext);
    stream.next_layer().connect(tcp::endpoint(asio::ip::make_address(address.host), address.port));
    stream.handshake(asio::ssl::stream_base::client);
    X509 *peer = SSL_get0_peer_certificate(stream.native_handle());
    if (!peer)
        return {};
    X509_up_ref(peer);
    return ca::Certificate::adopt(peer).serialHex();
}

// A service of namespace "shop" with one version, v1, whose replicas are `endpoints`.
std::shared_ptr<const proxy::Destination> destination(const std::string &name,
                                                      std::vector<proxy::Endpoint> endpoints,
                                                      std::vector<control::RouteConfig> routes = {})
{
    control::ServiceConfig service;
    service.name = name;
    service.ns = "shop";
    service.versions = {{"v1", std::vector<control::ReplicaConfig>(endpoints.size())}};
    service.routes = std::move(routes);
    return proxy::makeDestination(service, std::move(endpoints), systemClock());
}

// The mesh in miniature, its proxies on two data-plane workers.
struct Mesh {
    QTemporaryDir dir;
    std::unique_ptr<ca::CertificateAuthority> authority
        = std::move(*ca::CertificateAuthority::openOrCreate(dir.path().toStdString(),
                                                            ca::CaSettings {}, systemClock()));
    meshscope::testing::HttpBackend backend;
    proxy::Workers workers;
    std::shared_ptr<proxy::WorkloadTls> apiTls = workloadTls(*authority, "api");
    std::shared_ptr<proxy::WorkloadTls> webTls = workloadTls(*authority, "web");
    std::unique_ptr<proxy::InboundProxy> inbound;
    std::unique_ptr<proxy::InboundProxy> inboundOfAStoppedWorkload;
    std::unique_ptr<proxy::OutboundProxy> outbound;
    std::string expectedApiIdentity = ApiId;
    Address deadInbound = meshscope::testing::unusedLoopbackAddress();
    std::shared_ptr<telemetry::ProxyMetrics> metrics = std::make_shared<telemetry::ProxyMetrics>();

    proxy::ProxyTelemetry telemetryFor(const std::string &service)
    {
        return {metrics,
                {"shop", service + "-v1", service + "-v1-0", service, "v1",
                 "spiffe://mesh.local/ns/shop/sa/" + service},
                std::make_shared<proxy::RouteTable>(std::vector<meshcore::control::RouteConfig> {
                    {"items", "GET", "/items", "", {}}})};
    }

    explicit Mesh(unsigned workerCount = 2)
        : workers(workerCount)
    {
        inbound = std::move(*proxy::InboundProxy::create(
            workers, {"127.0.0.1", 0}, backend.address().port, apiTls, telemetryFor("api")));
        inboundOfAStoppedWorkload = std::move(*proxy::InboundProxy::create(
            workers, {"127.0.0.1", 0}, meshscope::testing::unusedLoopbackAddress().port,
            workloadTls(*authority, "api"), telemetryFor("api")));
        outbound = std::move(*proxy::OutboundProxy::create(
            workers, {"127.0.0.1", 0}, webTls,
            [this](std::string_view host) -> std::shared_ptr<const proxy::Destination> {
                if (host == "api" || host == "api.shop")
                    return destination(
                        "api", {{inbound->localAddress(), expectedApiIdentity, "v1", "api-v1-0"}},
                        {{"items", "GET", "/items", "", {}}});
                if (host == "dead")
                    return destination("dead", {{deadInbound, ApiId, "v1", "dead-v1-0"}});
                if (host == "stopped")
                    return destination(
                        "stopped",
                        {{inboundOfAStoppedWorkload->localAddress(), ApiId, "v1", "stopped-v1-0"}});
                return nullptr;
            },
            telemetryFor("web")));
        workers.start();
    }
    ~Mesh()
    {
        workers.drain(
            [this] {
                inbound->stop();
                inboundOfAStoppedWorkload->stop();
                outbound->stop();
            },
            std::chrono::seconds(5));
    }
};

// A client connection to a proxy, speaking through Beast so responses are parsed properly.
struct Client {
    asio::io_context io;
    tcp::socket socket {io};
    beast::flat_buffer buffer;
    explicit Client(const Address &address)
    {
        socket.connect(tcp::endpoint(asio::ip::make_address(address.host), address.port));
    }
    void sendRaw(const std::string &bytes) { asio::write(socket, asio::buffer(bytes)); }
    http::response<http::string_body> receive()
    {
        http::response_parser<http::string_body> parser;
        parser.body_limit(1u << 30);
        beast::error_code ec;
        http::read(socket, buffer, parser, ec);
        return parser.release();
    }
    http::response<http::string_body> get(const std::string &target, const std::string &extra = {})
    {
        sendRaw("GET " + target + " HTTP/1.1\r\nHost: api\r\n" + extra + "\r\n");
        return receive();
    }
};

} // namespace

class TestProxyPair : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void absoluteFormReachesTheWorkloadWithTheCallersIdentity()
    {
        Mesh mesh;
        Client client(mesh.outbound->localAddress());
        // A caller may not claim an identity: the header is replaced.
        const auto response
            = client.get("http://api.shop/hello?x=1", "l5d-client-id: spiffe://evil/ns/x/sa/y\r\n");
        QVERIFY2(response.result_int() == 200, std::string(response["l5d-proxy-error"]).c_str());
        QCOMPARE(response.body(), "GET /hello?x=1 client=" + WebId + " body=0");
    }

    void requestsAndResponsesAreCountedWithLinkerdsLabels()
    {
        Mesh mesh;
        {
            Client client(mesh.outbound->localAddress());
            QCOMPARE(client.get("http://api.shop/items/1").result_int(), 200u);
            QCOMPARE(client.get("http://api.shop/other").result_int(), 200u);
            QCOMPARE(client.get("http://ghost/").result_int(), 503u);
        }
        QTest::qWait(100); // let the connections close
        telemetry::PrometheusText text;
        mesh.metrics->write(text);
        const QString metrics = QString::fromStdString(text.text());
        const auto has = [&](const QString &needle) { return metrics.contains(needle); };
        QVERIFY2(
            has("request_total{authority=\"api.shop\",client_id=\"spiffe://mesh.local/ns/shop/sa/"
                "web\",deployment=\"api-v1\",direction=\"inbound\",namespace=\"shop\",pod=\"api-v1-"
                "0\",route=\"items\",tls=\"true\"} 1"),
            qPrintable(metrics));
        QVERIFY(has("route=\"default\",tls=\"true\"} 1"));
        QVERIFY(
            has("request_total{authority=\"api.shop\",deployment=\"web-v1\",direction=\"outbound\","
                "dst_deployment=\"api-v1\",dst_namespace=\"shop\",dst_pod=\"api-v1-0\",dst_service="
                "\"api\",dst_serviceaccount=\"api\",namespace=\"shop\",pod=\"web-v1-0\",route="
                "\"items\",server_id=\"spiffe://mesh.local/ns/shop/sa/api\",tls=\"true\"} 1"));
        QVERIFY(has("classification=\"success\""));
        QVERIFY(has("response_total{authority=\"ghost\",classification=\"failure\",deployment="
                    "\"web-v1\",direction=\"outbound\",namespace=\"shop\",pod=\"web-v1-0\",status_"
                    "code=\"503\",tls=\"true\"} 1"));
        QVERIFY(has("response_latency_ms_bucket{"));
        QVERIFY(has("tcp_open_total{client_id=\"spiffe://mesh.local/ns/shop/sa/"
                    "web\",deployment=\"api-v1\",direction=\"inbound\""));
        QVERIFY(metrics.contains(
            QRegularExpression("tcp_read_bytes_total\\{[^}]*direction=\"inbound\"[^}]*\\} [1-9]")));
    }

    void originFormWithAHostHeaderWorksToo()
    {
        Mesh mesh;
        Client client(mesh.outbound->localAddress());
        client.sendRaw("GET /plain HTTP/1.1\r\nHost: api:80\r\n\r\n");
        const auto response = client.receive();
        QCOMPARE(response.result_int(), 200u);
        QCOMPARE(response.body(), "GET /plain client=" + WebId + " body=0");
    }

    void keepAliveReusesBothHops()
    {
        Mesh mesh;
        Client client(mesh.outbound->localAddress());
        for (int i = 0; i < 5; ++i)
            QCOMPARE(client.get("http://api/n" + std::to_string(i)).result_int(), 200u);
        QCOMPARE(mesh.backend.requests(), 5);
        QCOMPARE(mesh.backend.connections(), 1);
    }

    void clientsThatCloseEachConnectionShareOnePooledUpstream()
    {
        Mesh mesh(1); // pools are per worker: with one, every client lands on the same pool
        for (int i = 0; i < 6; ++i) {
            Client client(mesh.outbound->localAddress());
            const auto response
                = client.get("http://api/c" + std::to_string(i), "Connection: close\r\n");
            QCOMPARE(response.result_int(), 200u);
            QVERIFY(!response.keep_alive());
        }
        // One mTLS connection between the proxies and one to the workload carried all six: the
        // pool handed the upstream from each client connection to the next.
        QCOMPARE(mesh.backend.requests(), 6);
        QCOMPARE(mesh.backend.connections(), 1);
        telemetry::PrometheusText text;
        mesh.metrics->write(text);
        QVERIFY2(
            text.text().find("tcp_open_total{client_id=\"" + WebId
                             + "\",deployment=\"api-v1\",direction=\"inbound\","
                               "namespace=\"shop\",peer=\"src\",pod=\"api-v1-0\",tls=\"true\"} 1\n")
                != std::string::npos,
            text.text().c_str());
    }

    void aWorkloadClosingAKeptConnectionCostsNoRequest()
    {
        Mesh mesh;
        Client client(mesh.outbound->localAddress());
        QCOMPARE(client.get("http://api/close-after").result_int(), 200u);
        QTest::qWait(100); // the workload has closed the connection the inbound proxy kept
        // The proxy finds its kept connection closed and sends the request again over a new one.
        const auto response = client.get("http://api/after");
        QVERIFY2(response.result_int() == 200u, std::string(response["l5d-proxy-error"]).c_str());
        QCOMPARE(mesh.backend.connections(), 2);
        QCOMPARE(mesh.backend.requests(), 2);
    }

    void renewedCertificatesApplyWithoutDroppingConnections()
    {
        Mesh mesh;
        Client client(mesh.outbound->localAddress());
        QCOMPARE(client.get("http://api/before").result_int(), 200u);
        auto probe = mesh.webTls->client();
        QVERIFY(probe);
        const std::string before = servedSerial(mesh.inbound->localAddress(), *probe);

        // Both sides renew, as CertificateHolder does at 70 % of the lifetime.
        const std::string renewed = issueInto(*mesh.authority, "api", *mesh.apiTls);
        issueInto(*mesh.authority, "web", *mesh.webTls);
        QVERIFY(renewed != before);

        // The open connections carry on...
        for (int i = 0; i < 3; ++i)
            QCOMPARE(client.get("http://api/after" + std::to_string(i)).result_int(), 200u);
        QCOMPARE(mesh.backend.connections(), 1);
        // ...and new ones get the new certificate.
        QCOMPARE(servedSerial(mesh.inbound->localAddress(), *mesh.webTls->client()), renewed);
    }

    void drainFinishesRequestsInFlightAndClosesIdleConnections()
    {
        Mesh mesh;
        Client idle(mesh.outbound->localAddress());
        QCOMPARE(idle.get("http://api/first").result_int(), 200u);
        Client busy(mesh.outbound->localAddress());
        busy.sendRaw("GET http://api/slow/600 HTTP/1.1\r\nHost: api\r\n\r\n");
        QTest::qWait(150); // the slow request is in flight

        QElapsedTimer timer;
        timer.start();
        bool inTime = false;
        std::thread drainer([&] {
            inTime = mesh.workers.drain(
                [&] {
                    mesh.inbound->stop();
                    mesh.inboundOfAStoppedWorkload->stop();
                    mesh.outbound->stop();
                },
                std::chrono::seconds(5));
        });
        // The request in flight completes, told that the connection closes after it.
        const auto response = busy.receive();
        QCOMPARE(response.result_int(), 200u);
        QVERIFY(!response.keep_alive());
        // The idle connection is closed at once rather than after its idle timeout.
        char byte = 0;
        beast::error_code ec;
        asio::read(idle.socket, asio::buffer(&byte, 1), ec);
        QCOMPARE(ec, boost::system::error_code(asio::error::eof));
        drainer.join();
        QVERIFY(inTime);
        QVERIFY2(timer.elapsed() < 3000, std::to_string(timer.elapsed()).c_str());
        // Nothing listens any more.
        tcp::socket late(idle.io);
        late.connect(
            tcp::endpoint(asio::ip::make_address("127.0.0.1"), mesh.outbound->localAddress().port),
            ec);
        QVERIFY(ec);
    }

    void aBodyThatEndsWithTheConnectionEndsTheClientsToo()
    {
        Mesh mesh;
        meshscope::testing::RawSocket client(mesh.outbound->localAddress());
        QVERIFY(client.send("GET http://api/until-close HTTP/1.1\r\nHost: api\r\n\r\n"));
        bool closed = false;
        const auto response = client.readUntil("", std::chrono::seconds(5), &closed);
        QVERIFY2(closed, response.c_str()); // not left waiting for a length that never comes
        QVERIFY2(response.starts_with("HTTP/1.1 200"), response.c_str());
        QVERIFY(response.ends_with("the body ends when the connection does"));
    }

    void largeBodiesStreamBothWays()
    {
        Mesh mesh;
        Client client(mesh.outbound->localAddress());
        const std::size_t size = 24u << 20;
        client.sendRaw("POST http://api/upload HTTP/1.1\r\nHost: api\r\nContent-Length: "
                       + std::to_string(size) + "\r\n\r\n");
        const std::string block(1 << 20, 'u');
        for (std::size_t sent = 0; sent < size; sent += block.size())
            client.sendRaw(block);
        const auto upload = client.receive();
        QCOMPARE(upload.result_int(), 200u);
        QCOMPARE(upload.body(), "POST /upload client=" + WebId + " body=" + std::to_string(size));
        const auto download = client.get("http://api/download/" + std::to_string(size));
        QCOMPARE(download.result_int(), 200u);
        QCOMPARE(download.body().size(), size);
    }

    void chunkedRequestBodiesArrive()
    {
        Mesh mesh;
        Client client(mesh.outbound->localAddress());
        client.sendRaw(
            "POST http://api/chunks HTTP/1.1\r\nHost: api\r\nTransfer-Encoding: chunked\r\n\r\n"
            "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        const auto response = client.receive();
        QCOMPARE(response.result_int(), 200u);
        QCOMPARE(response.body(), "POST /chunks client=" + WebId + " body=11");
    }

    void expectContinueIsAnsweredAndTheBodyForwarded()
    {
        Mesh mesh;
        Client client(mesh.outbound->localAddress());
        client.sendRaw("POST http://api/upload HTTP/1.1\r\nHost: api\r\nContent-Length: "
                       "5\r\nExpect: 100-continue\r\n\r\n");
        // The client waits for the go-ahead before sending its body, as curl does.
        std::string interim;
        while (interim.find("\r\n\r\n") == std::string::npos) {
            char c = 0;
            asio::read(client.socket, asio::buffer(&c, 1));
            interim += c;
        }
        QCOMPARE(interim, std::string("HTTP/1.1 100 Continue\r\n\r\n"));
        client.sendRaw("hello");
        const auto response = client.receive();
        QCOMPARE(response.result_int(), 200u);
        QCOMPARE(response.body(), "POST /upload client=" + WebId + " body=5");
    }

    void http10ClientsAreServedAndClosed()
    {
        Mesh mesh;
        Client client(mesh.outbound->localAddress());
        client.sendRaw("GET http://api/old HTTP/1.0\r\n\r\n");
        const auto response = client.receive();
        QCOMPARE(response.result_int(), 200u);
        QCOMPARE(response.version(), 10u);
        QCOMPARE(response.body(), "GET /old client=" + WebId + " body=0");
        boost::system::error_code ec;
        char byte = 0;
        asio::read(client.socket, asio::buffer(&byte, 1), ec);
        QCOMPARE(ec, boost::system::error_code(asio::error::eof));
    }

    void unknownServicesAre503AndNamed()
    {
        Mesh mesh;
        Client client(mesh.outbound->localAddress());
        const auto response = client.get("http://ghost/");
        QCOMPARE(response.result_int(), 503u);
        QCOMPARE(std::string(response["l5d-proxy-error"]), std::string("unknown service 'ghost'"));
    }

    void unreachableDestinationsAre502()
    {
        Mesh mesh;
        {
            // Nothing listens where the destination's inbound proxy should be.
            Client client(mesh.outbound->localAddress());
            const auto response = client.get("http://dead/");
            QCOMPARE(response.result_int(), 502u);
            QVERIFY(std::string(response["l5d-proxy-error"]).find("connection to dead-v1-0")
                    != std::string::npos);
        }
        // The inbound proxy is up but its workload is not: its 502 comes back through the mesh.
        Client client(mesh.outbound->localAddress());
        const auto response = client.get("http://stopped/");
        QCOMPARE(response.result_int(), 502u);
        QVERIFY2(std::string(response["l5d-proxy-error"]).find("workload not reachable")
                     != std::string::npos,
                 std::string(response["l5d-proxy-error"]).c_str());
    }

    void aServerWithTheWrongIdentityIsRefused()
    {
        Mesh mesh;
        mesh.expectedApiIdentity = "spiffe://mesh.local/ns/shop/sa/payments";
        Client client(mesh.outbound->localAddress());
        const auto response = client.get("http://api/");
        QCOMPARE(response.result_int(), 502u);
        QVERIFY(std::string(response["l5d-proxy-error"]).find("server identity mismatch")
                != std::string::npos);
        QCOMPARE(mesh.backend.requests(), 0);
    }

    void smugglingAttemptsAre400AndNothingIsForwarded_data()
    {
        QTest::addColumn<QString>("request");
        QTest::addColumn<int>("status");
        const QString start = "POST http://api/x HTTP/1.1\r\nHost: api\r\n";
        QTest::newRow("Content-Length and Transfer-Encoding")
            << start + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
            << 400;
        QTest::newRow("two Content-Lengths")
            << start + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd" << 400;
        QTest::newRow("Transfer-Encoding xchunked")
            << start + "Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"
            << 400;
        QTest::newRow("Transfer-Encoding chunked, identity")
            << start + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"
            << 400;
        QTest::newRow("malformed length") << start + "Content-Length: +4\r\n\r\nabcd" << 400;
        QTest::newRow("obsolete line folding")
            << start + "X-Folded: a\r\n b\r\nContent-Length: 0\r\n\r\n"
            << 400;
        QTest::newRow("space before colon") << start + "Content-Length : 0\r\n\r\n" << 400;
        QTest::newRow("NUL in a value")
            << start + QString("X-Nul: a") + QChar(0) + "b\r\nContent-Length: 0\r\n\r\n"
            << 400;
        QTest::newRow("header section over 60 KiB") << start + "X-Big: " + QString(61 * 1024, 'a')
                + "\r\n\r\n" << 431;
        QString many;
        for (int i = 0; i < 100; ++i) // with Host: 101 fields
            many += QStringLiteral("X-Field-%1: v\r\n").arg(i);
        QTest::newRow("more than 100 header fields") << start + many + "Content-Length: 0\r\n\r\n"
                                                     << 431;
    }
    void smugglingAttemptsAre400AndNothingIsForwarded()
    {
        QFETCH(QString, request);
        QFETCH(int, status);
        Mesh mesh;
        Client client(mesh.outbound->localAddress());
        client.sendRaw(request.toLatin1().toStdString());
        const auto response = client.receive();
        QCOMPARE(int(response.result_int()), status);
        QVERIFY(!std::string(response["l5d-proxy-error"]).empty());
        QTest::qWait(50);
        QCOMPARE(mesh.backend.requests(), 0);
    }

    void plaintextToAnInboundPortIsRefused()
    {
        Mesh mesh;
        meshscope::testing::RawSocket raw(mesh.inbound->localAddress());
        QVERIFY(raw.connected());
        raw.send("GET / HTTP/1.1\r\nHost: api\r\n\r\n");
        bool closed = false;
        const auto answer = raw.readUntil("", 3s, &closed);
        QVERIFY(closed);
        QVERIFY(answer.find("HTTP/1.1 200") == std::string::npos);
        QCOMPARE(mesh.backend.requests(), 0);
    }
};

QTEST_GUILESS_MAIN(TestProxyPair)
#include "tst_proxy_pair.moc"
