#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

#include "ca/private_key.h"
#include "ca/spiffe_id.h"
#include "core/result.h"

namespace meshcore::ca {

// A certificate signing request for one workload identity, made by the key's owner.
Result<std::string> createCsrPem(const PrivateKey &key, const SpiffeId &identity);

// What a CSR asks for, after its self-signature checked out.
struct CsrRequest {
    std::shared_ptr<EVP_PKEY> publicKey;
    std::vector<std::string> uriSans;
    std::size_t otherSanCount = 0; // DNS, IP, email...: never granted
};

// Parses a PEM CSR strictly (DER, no trailing bytes), accepts only ECDSA P-256 keys and
// ECDSA-with-SHA256 signatures, and checks the signature. Walks the DER itself: OpenSSL 3.0's
// generic key decoders would otherwise cost more than the signature check. The key it returns
// encodes into a certificate without another decode (X509_set_pubkey keeps it attached).
Result<CsrRequest> parseCsrPem(std::string_view pem);

} // namespace meshcore::ca
