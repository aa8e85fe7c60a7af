#include "proxy/tls_contexts.h"

#include <string_view>

#include <openssl/ssl.h>

#include "ca/openssl_handles.h"

namespace meshcore::proxy {
namespace {

// ALPN's wire form: each name after its length.
constexpr std::string_view Http1Alpn = "\x08http/1.1";
constexpr std::string_view Http2Alpn = "\x02h2";
constexpr std::string_view TcpAlpn = "\x0fmeshscope.tcp/1";
// What an inbound proxy serves: HTTP/1.1, HTTP/2 and opaque TCP.
constexpr std::string_view ServerAlpns = "\x08http/1.1\x02h2\x0fmeshscope.tcp/1";

std::string_view wireName(HopProtocol protocol)
{
    switch (protocol) {
    case HopProtocol::Http2:
        return Http2Alpn;
    case HopProtocol::Tcp:
        return TcpAlpn;
    case HopProtocol::Http1:
        break;
    }
    return Http1Alpn;
}

// The server's choice: the first of the client's names it knows; none (HTTP/1.1) otherwise.
int selectAlpn(SSL * /*ssl*/, const unsigned char **out, unsigned char *outLength,
               const unsigned char *in, unsigned inLength, void * /*arg*/)
{
    unsigned char *chosen = nullptr;
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL's byte strings
    const auto *server = reinterpret_cast<const unsigned char *>(ServerAlpns.data());
    if (SSL_select_next_proto(&chosen, outLength, in, inLength, server,
                              static_cast<unsigned>(ServerAlpns.size()))
        != OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK;
    *out = chosen;
    return SSL_TLSEXT_ERR_OK;
}

Result<std::shared_ptr<boost::asio::ssl::context>>
makeContext(boost::asio::ssl::context::method method, const ca::IssuedCertificate &certificate,
            const ca::PrivateKey &key, int verifyMode)
{
    auto context = std::make_shared<boost::asio::ssl::context>(method);
    SSL_CTX *ctx = context->native_handle();
    const auto fail = [](const std::string &what) {
        return makeError(ErrorCode::Internal, what + ": " + ca::takeOpenSslError("OpenSSL failed"));
    };
    if (SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) != 1
        || SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION) != 1)
        return fail("cannot restrict TLS to 1.3");
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
    SSL_CTX_set_num_tickets(ctx, 0); // no resumption: nothing arrives on an idle pooled connection
    if (SSL_CTX_use_certificate(ctx, certificate.leaf.get()) != 1)
        return fail("cannot use the workload certificate");
    for (std::size_t i = 1; i < certificate.chain.size(); ++i)
        if (SSL_CTX_add1_chain_cert(ctx, certificate.chain[i].get()) != 1)
            return fail("cannot add the issuer to the chain");
    if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1 || SSL_CTX_check_private_key(ctx) != 1)
        return fail("the workload key does not match its certificate");
    X509_STORE *store = SSL_CTX_get_cert_store(ctx);
    for (const auto &anchor : certificate.trustBundle)
        if (X509_STORE_add_cert(store, anchor.get()) != 1)
            return fail("cannot add a trust anchor");
    SSL_CTX_set_verify(ctx, verifyMode, nullptr);
    SSL_CTX_set_verify_depth(ctx, 3);
    return context;
}

} // namespace

Result<std::shared_ptr<boost::asio::ssl::context>>
makeServerContext(const ca::IssuedCertificate &certificate, const ca::PrivateKey &key)
{
    auto context = makeContext(boost::asio::ssl::context::tls_server, certificate, key,
                               SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT);
    if (context)
        SSL_CTX_set_alpn_select_cb((*context)->native_handle(), selectAlpn, nullptr);
    return context;
}

Result<std::shared_ptr<boost::asio::ssl::context>>
makeClientContext(const ca::IssuedCertificate &certificate, const ca::PrivateKey &key)
{
    return makeContext(boost::asio::ssl::context::tls_client, certificate, key, SSL_VERIFY_PEER);
}

bool offerHopProtocol(SSL *ssl, HopProtocol protocol)
{
    const auto name = wireName(protocol);
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL's byte strings
    const auto *bytes = reinterpret_cast<const unsigned char *>(name.data());
    return SSL_set_alpn_protos(ssl, bytes, static_cast<unsigned>(name.size())) == 0; // 0: success
}

HopProtocol negotiatedHopProtocol(SSL *ssl)
{
    const unsigned char *name = nullptr;
    unsigned length = 0;
    SSL_get0_alpn_selected(ssl, &name, &length);
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL's byte strings
    const std::string_view selected(reinterpret_cast<const char *>(name), length);
    if (selected == Http2Alpn.substr(1))
        return HopProtocol::Http2;
    if (selected == TcpAlpn.substr(1))
        return HopProtocol::Tcp;
    return HopProtocol::Http1;
}

Result<std::string> peerIdentity(SSL *ssl)
{
    // SSL_get_verify_result() says OK when the peer sent nothing: look at the certificate first.
    X509 *peer = SSL_get0_peer_certificate(ssl);
    if (!peer)
        return makeError(ErrorCode::PermissionDenied, "the peer presented no certificate");
    if (SSL_get_verify_result(ssl) != X509_V_OK)
        return makeError(ErrorCode::PermissionDenied,
                         std::string("the peer's certificate did not verify: ")
                             + X509_verify_cert_error_string(SSL_get_verify_result(ssl)));
    X509_up_ref(peer);
    const auto identity = ca::Certificate::adopt(peer).identity();
    if (identity.empty())
        return makeError(ErrorCode::PermissionDenied,
                         "the peer's certificate names no single workload identity");
    return identity;
}

} // namespace meshcore::proxy
