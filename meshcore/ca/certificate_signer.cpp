#include "ca/certificate_signer.h"

#include <functional>

#include <openssl/rand.h>

#include "ca/openssl_handles.h"

namespace meshcore::ca {
namespace {

bool addExtension(X509 *certificate, X509V3_CTX *context, int nid, const char *value)
{
    X509ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, context, nid, value));
    return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

bool setRandomSerial(X509 *certificate)
{
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        return false;
    bytes[0] &= 0x7f; // positive
    bytes[0] |= 0x01; // never shorter than 16 bytes... nor zero
    BignumPtr bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
    return bn && BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(certificate)) != nullptr;
}

Result<Certificate> buildAndSign(const std::function<bool(X509 *)> &setPublicKey,
                                 const CertificateSpec &spec,
                                 const std::optional<Certificate> &issuer,
                                 const PrivateKey &signingKey)
{
    const auto fail = [](const char *what) {
        return makeError(ErrorCode::Internal,
                         std::string(what) + ": " + takeOpenSslError("OpenSSL failed"));
    };
    X509 *raw = X509_new();
    if (!raw)
        return fail("cannot allocate a certificate");
    X509Ptr certificate(raw);
    X509_set_version(raw, X509_VERSION_3);
    if (!setRandomSerial(raw))
        return fail("cannot make a serial number");

    X509_NAME *subject = X509_get_subject_name(raw);
    if (!spec.commonName.empty())
        X509_NAME_add_entry_by_NID(subject, NID_commonName, MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char *>(spec.commonName.c_str()),
                                   -1, -1, 0);
    X509_set_issuer_name(raw, issuer ? X509_get_subject_name(issuer->get()) : subject);

    const auto seconds = [](TimePoint t) { return std::chrono::system_clock::to_time_t(t); };
    if (!ASN1_TIME_set(X509_getm_notBefore(raw), seconds(spec.notBefore))
        || !ASN1_TIME_set(X509_getm_notAfter(raw), seconds(spec.notAfter)))
        return fail("cannot set the validity period");
    if (!setPublicKey(raw))
        return fail("cannot set the public key");

    X509V3_CTX context;
    X509V3_set_ctx(&context, issuer ? issuer->get() : raw, raw, nullptr, nullptr, 0);
    bool ok = addExtension(raw, &context, NID_subject_key_identifier, "hash")
        && addExtension(raw, &context, NID_authority_key_identifier, "keyid:always");
    switch (spec.kind) {
    case CertificateSpec::Kind::TrustAnchor:
        ok = ok && addExtension(raw, &context, NID_basic_constraints, "critical,CA:TRUE,pathlen:1")
            && addExtension(raw, &context, NID_key_usage, "critical,keyCertSign,cRLSign");
        break;
    case CertificateSpec::Kind::Issuer:
        ok = ok && addExtension(raw, &context, NID_basic_constraints, "critical,CA:TRUE,pathlen:0")
            && addExtension(raw, &context, NID_key_usage, "critical,keyCertSign,cRLSign");
        break;
    case CertificateSpec::Kind::Workload: {
        const std::string san = "URI:" + spec.uriSan;
        // The subject is empty, so the SAN must be critical (RFC 5280, 4.2.1.6).
        ok = ok && addExtension(raw, &context, NID_basic_constraints, "critical,CA:FALSE")
            && addExtension(raw, &context, NID_key_usage, "critical,digitalSignature")
            && addExtension(raw, &context, NID_ext_key_usage, "serverAuth,clientAuth")
            && addExtension(raw, &context, NID_subject_alt_name, ("critical," + san).c_str());
        break;
    }
    }
    if (!ok)
        return fail("cannot add certificate extensions");
    if (X509_sign(raw, signingKey.get(), EVP_sha256()) <= 0)
        return fail("cannot sign the certificate");
    return Certificate::adopt(certificate.release());
}

} // namespace

Result<Certificate> signCertificate(EVP_PKEY *subjectKey, const CertificateSpec &spec,
                                    const std::optional<Certificate> &issuer,
                                    const PrivateKey &signingKey)
{
    return buildAndSign([subjectKey](X509 *x) { return X509_set_pubkey(x, subjectKey) == 1; }, spec,
                        issuer, signingKey);
}

} // namespace meshcore::ca
