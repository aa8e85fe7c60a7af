#include "proxy/tls_contexts.h"

#include <openssl/ssl.h>

#include "ca/openssl_handles.h"

namespace meshcore::proxy {
namespace {

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
    return makeContext(boost::asio::ssl::context::tls_server, certificate, key,
                       SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT);
}

Result<std::shared_ptr<boost::asio::ssl::context>>
makeClientContext(const ca::IssuedCertificate &certificate, const ca::PrivateKey &key)
{
    return makeContext(boost::asio::ssl::context::tls_client, certificate, key, SSL_VERIFY_PEER);
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
