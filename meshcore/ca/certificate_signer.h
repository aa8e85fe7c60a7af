#pragma once

#include <optional>
#include <string>

#include <openssl/evp.h>

#include "ca/certificate.h"
#include "ca/private_key.h"
#include "core/clock.h"
#include "core/result.h"

namespace meshcore::ca {

// What a new certificate says about its subject.
struct CertificateSpec {
    enum class Kind { TrustAnchor, Issuer, Workload };
    Kind kind = Kind::Workload;
    std::string commonName; // anchors and issuers; workloads are named by their URI SAN
    std::string uriSan; // workloads: the SPIFFE identity
    TimePoint notBefore;
    TimePoint notAfter;
};

// Builds and signs certificates: self-signed trust anchors, issuers under an anchor, workload
// leaves under an issuer. Serial numbers are 128 random bits. Thread-safe (no shared state).
// `issuer` absent means self-signed with `signingKey`, which must then be the subject's key.
Result<Certificate> signCertificate(EVP_PKEY *subjectKey, const CertificateSpec &spec,
                                    const std::optional<Certificate> &issuer,
                                    const PrivateKey &signingKey);

} // namespace meshcore::ca
