#pragma once

#include <utility> // before Asio: its awaitable.hpp needs std::exchange

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "ca/certificate_authority.h"
#include "ca/private_key.h"
#include "core/result.h"

namespace meshcore::proxy {

// The TLS settings every hop between proxies uses: TLS 1.3 only, the workload's certificate chain
// and key, and the mesh's trust bundle. Server contexts require and verify a client certificate
// (SSL_VERIFY_FAIL_IF_NO_PEER_CERT); client contexts verify the server's chain. Identities are
// checked after the handshake with peerIdentity(), because OpenSSL does not check URI SANs.
// A context is immutable once built; renewals build new ones.
Result<std::shared_ptr<boost::asio::ssl::context>>
makeServerContext(const ca::IssuedCertificate &certificate, const ca::PrivateKey &key);
Result<std::shared_ptr<boost::asio::ssl::context>>
makeClientContext(const ca::IssuedCertificate &certificate, const ca::PrivateKey &key);

// The verified peer's workload identity (its single URI SAN) after a completed handshake; an
// error if the peer sent no certificate, it did not verify, or it names no single identity.
Result<std::string> peerIdentity(SSL *ssl);

} // namespace meshcore::proxy
