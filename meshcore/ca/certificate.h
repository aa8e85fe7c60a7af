#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/x509.h>

#include "core/clock.h"
#include "core/result.h"

namespace meshcore::ca {

// An X.509 certificate. Immutable and cheap to copy (shares the parsed X509).
class Certificate {
public:
    Certificate() = default; // empty: only to be assigned to
    bool isNull() const { return !m_x509; }
    // Exactly one certificate in PEM.
    static Result<Certificate> fromPem(std::string_view pem);
    // Takes ownership of `x509`.
    static Certificate adopt(X509 *x509);

    X509 *get() const { return m_x509.get(); }
    std::string toPem() const;

    std::string subjectCommonName() const;
    std::string serialHex() const;
    TimePoint notBefore() const;
    TimePoint notAfter() const;
    std::vector<std::string> uriSans() const;
    // Every subjectAltName entry, each as "URI:...", "DNS:...", "IP:...", "email:...", "other".
    std::vector<std::string> allSans() const;
    bool isCa() const;
    bool isSelfSigned() const;
    // The workload identity: the single URI SAN, or empty.
    std::string identity() const;
    bool sameAs(const Certificate &other) const;

private:
    explicit Certificate(std::shared_ptr<X509> x509)
        : m_x509(std::move(x509))
    {
    }
    std::shared_ptr<X509> m_x509;
};

// Every CERTIFICATE block in `pem`, in order. Tolerates CRLF line ends, trailing whitespace and
// explanatory text between blocks (as `openssl x509 -text` writes it); refuses a damaged block, a
// BEGIN without END, or a block of another kind (a private key in a bundle), naming the block.
// Never returns a partial list.
Result<std::vector<Certificate>> parsePemCertificates(std::string_view pem,
                                                      std::string_view source);

// A trust bundle: at least one certificate, every one a CA certificate.
Result<std::vector<Certificate>> parseTrustBundle(std::string_view pem, std::string_view source);

std::string toPem(const std::vector<Certificate> &certificates);

TimePoint fromAsn1Time(const ASN1_TIME *time);

} // namespace meshcore::ca
