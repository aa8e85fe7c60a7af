#include <utility>

#include <QTemporaryDir>
#include <QTest>

#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>

#include "ca/certificate_authority.h"
#include "ca/csr.h"
#include "proxy/tls_contexts.h"

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace meshcore;
using namespace std::chrono_literals;

namespace {

struct Workload {
    ca::IssuedCertificate issued;
    ca::PrivateKey key;
};

Workload issue(ca::CertificateAuthority &authority, const std::string &service,
               std::optional<ca::Seconds> lifetime = {})
{
    const ca::SpiffeId id {"mesh.local", "shop", service};
    auto key = *ca::PrivateKey::generateP256();
    auto issued = authority.issue(*ca::createCsrPem(key, id), id, lifetime);
    if (!issued)
        qFatal("%s", issued.error().message.c_str());
    return {*issued, key};
}

struct HandshakeResult {
    bool serverOk = false;
    bool clientOk = false;
    std::string clientIdentitySeenByServer;
    std::string serverIdentitySeenByClient;
    proxy::HopProtocol serverAgreed = proxy::HopProtocol::Http1; // by ALPN
    proxy::HopProtocol clientAgreed = proxy::HopProtocol::Http1;
};

HandshakeResult handshake(asio::ssl::context &server, asio::ssl::context &client,
                          std::optional<proxy::HopProtocol> offer = {})
{
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    HandshakeResult result;
    std::thread serverThread([&] {
        asio::io_context serverIo;
        tcp::socket socket(serverIo);
        acceptor.accept(socket);
        asio::ssl::stream<tcp::socket> stream(std::move(socket), server);
        boost::system::error_code ec;
        stream.handshake(asio::ssl::stream_base::server, ec);
        if (!ec) {
            auto identity = proxy::peerIdentity(stream.native_handle());
            result.serverAgreed = proxy::negotiatedHopProtocol(stream.native_handle());
            result.serverOk = identity.has_value();
            result.clientIdentitySeenByServer = identity ? *identity : identity.error().message;
            char byte = 0;
            asio::read(stream, asio::buffer(&byte, 1), ec);
            if (!ec)
                asio::write(stream, asio::buffer("y", 1), ec);
        }
    });
    asio::ssl::stream<tcp::socket> stream(io, client);
    if (offer)
        proxy::offerHopProtocol(stream.native_handle(), *offer);
    stream.next_layer().connect(acceptor.local_endpoint());
    boost::system::error_code ec;
    stream.handshake(asio::ssl::stream_base::client, ec);
    if (!ec) {
        // TLS 1.3: the server verifies the client certificate after the client's handshake ends;
        // a write and a read show whether the server accepted it.
        asio::write(stream, asio::buffer("x", 1), ec);
        char byte = 0;
        if (!ec)
            asio::read(stream, asio::buffer(&byte, 1), ec);
        auto identity = proxy::peerIdentity(stream.native_handle());
        result.clientOk = identity.has_value() && !ec;
        result.clientAgreed = proxy::negotiatedHopProtocol(stream.native_handle());
        result.serverIdentitySeenByClient = identity ? *identity : identity.error().message;
    }
    stream.next_layer().close();
    serverThread.join();
    return result;
}

struct Mesh {
    QTemporaryDir dir;
    std::unique_ptr<ca::CertificateAuthority> authority
        = std::move(*ca::CertificateAuthority::openOrCreate(dir.path().toStdString(),
                                                            ca::CaSettings {}, systemClock()));
};

} // namespace

class TestTlsContexts : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void mutualTlsWithIdentitiesBothWays()
    {
        Mesh mesh;
        const auto web = issue(*mesh.authority, "web");
        const auto api = issue(*mesh.authority, "api");
        auto server = *proxy::makeServerContext(api.issued, api.key);
        auto client = *proxy::makeClientContext(web.issued, web.key);
        const auto result = handshake(*server, *client);
        QVERIFY(result.serverOk);
        QVERIFY(result.clientOk);
        QCOMPARE(result.clientIdentitySeenByServer,
                 std::string("spiffe://mesh.local/ns/shop/sa/web"));
        QCOMPARE(result.serverIdentitySeenByClient,
                 std::string("spiffe://mesh.local/ns/shop/sa/api"));
    }

    // The hop's protocol is agreed by ALPN; offering none (an older meshd) means HTTP/1.1.
    void theHopAgreesOnWhatItCarries()
    {
        Mesh mesh;
        const auto web = issue(*mesh.authority, "web");
        const auto api = issue(*mesh.authority, "api");
        auto server = *proxy::makeServerContext(api.issued, api.key);
        auto client = *proxy::makeClientContext(web.issued, web.key);
        for (const auto protocol :
             {proxy::HopProtocol::Http1, proxy::HopProtocol::Http2, proxy::HopProtocol::Tcp}) {
            const auto result = handshake(*server, *client, protocol);
            QVERIFY(result.serverOk && result.clientOk);
            QCOMPARE(result.serverAgreed, protocol);
            QCOMPARE(result.clientAgreed, protocol);
        }
        const auto none = handshake(*server, *client);
        QVERIFY(none.serverOk && none.clientOk);
        QCOMPARE(none.serverAgreed, proxy::HopProtocol::Http1);
        QCOMPARE(none.clientAgreed, proxy::HopProtocol::Http1);
    }

    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void clientsWithoutAValidCertificateAreRefused_data()
    {
        QTest::addColumn<QString>("client");
        QTest::newRow("no client certificate") << "none";
        QTest::newRow("certificate from another CA") << "other-ca";
        QTest::newRow("expired certificate") << "expired";
        QTest::newRow("TLS 1.2 only") << "tls12";
    }
    void clientsWithoutAValidCertificateAreRefused()
    {
        QFETCH(QString, client);
        // The mesh's CA was created two days ago, so it can also hand out a certificate that
        // expired yesterday.
        QTemporaryDir dir;
        ManualClock past(std::chrono::system_clock::now() - 48h);
        auto pastCa = std::move(*ca::CertificateAuthority::openOrCreate(dir.path().toStdString(),
                                                                        ca::CaSettings {}, past));
        auto authority
            = std::move(*ca::CertificateAuthority::open(dir.path().toStdString(), systemClock()));
        const auto api = issue(*authority, "api");
        auto server = *proxy::makeServerContext(api.issued, api.key);
        std::shared_ptr<asio::ssl::context> context;
        Mesh other;
        if (client == "none") {
            context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
            for (const auto &anchor : api.issued.trustBundle)
                X509_STORE_add_cert(SSL_CTX_get_cert_store(context->native_handle()), anchor.get());
        } else if (client == "other-ca") {
            const auto stranger = issue(*other.authority, "web");
            context = *proxy::makeClientContext(stranger.issued, stranger.key);
        } else if (client == "expired") {
            const auto old = issue(*pastCa, "web", ca::Seconds(3600));
            context = *proxy::makeClientContext(old.issued, old.key);
        } else {
            const auto web = issue(*authority, "web");
            context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
            SSL_CTX *ctx = context->native_handle();
            SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
            SSL_CTX_use_certificate(ctx, web.issued.leaf.get());
            SSL_CTX_use_PrivateKey(ctx, web.key.get());
        }
        const auto result = handshake(*server, *context);
        QVERIFY2(!result.serverOk, result.clientIdentitySeenByServer.c_str());
        QVERIFY(!result.clientOk);
    }

    void aServerFromAnotherMeshIsNotTrusted()
    {
        Mesh mesh;
        Mesh other;
        const auto web = issue(*mesh.authority, "web");
        const auto impostor = issue(*other.authority, "api");
        auto server = *proxy::makeServerContext(impostor.issued, impostor.key);
        auto client = *proxy::makeClientContext(web.issued, web.key);
        const auto result = handshake(*server, *client);
        QVERIFY(!result.clientOk);
        QVERIFY(!result.serverOk);
    }
};

QTEST_GUILESS_MAIN(TestTlsContexts)
#include "tst_tls_contexts.moc"
