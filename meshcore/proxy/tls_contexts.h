#pragma once

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "ca/certificate_authority.h"
#include "ca/private_key.h"
#include "core/result.h"

namespace meshcore::proxy {

// What a connection between proxies carries, agreed by ALPN in its handshake: "http/1.1" (also
// what no ALPN means, so a meshd that offers none still works), "h2", or the mesh's own
// "meshscope.tcp/1" for opaque TCP to the replica's port (Linkerd's counterpart is
// transport.l5d.io/v1).
enum class HopProtocol { Http1, Http2, Tcp };

// The TLS settings every hop between proxies uses: TLS 1.3 only, the workload's certificate chain
// and key, and the mesh's trust bundle. Server contexts require and verify a client certificate
// (SSL_VERIFY_FAIL_IF_NO_PEER_CERT); client contexts verify the server's chain. Identities are
// checked after the handshake with peerIdentity(), because OpenSSL does not check URI SANs.
// A context is immutable once built; renewals build new ones.
Result<std::shared_ptr<boost::asio::ssl::context>>
makeServerContext(const ca::IssuedCertificate &certificate, const ca::PrivateKey &key);
Result<std::shared_ptr<boost::asio::ssl::context>>
makeClientContext(const ca::IssuedCertificate &certificate, const ca::PrivateKey &key);

// Offers `protocol` (the only one) in the client hello of `ssl`; before the handshake.
bool offerHopProtocol(SSL *ssl, HopProtocol protocol);
// What the handshake agreed: Http1 when no ALPN was agreed.
HopProtocol negotiatedHopProtocol(SSL *ssl);

// The verified peer's workload identity (its single URI SAN) after a completed handshake; an
// error if the peer sent no certificate, it did not verify, or it names no single identity.
Result<std::string> peerIdentity(SSL *ssl);

} // namespace meshcore::proxy
