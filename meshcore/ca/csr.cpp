// This file uses OpenSSL's EC_KEY and ECDSA_verify, deprecated in 3.0 but supported throughout
// 3.x: on Debian 12's OpenSSL 3.0 the provider path (EVP_PKEY_fromdata, X509_PUBKEY decoders)
// costs more per request than the signature check itself; see bench/ca_signing_bench.cpp.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "ca/csr.h"

#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include "ca/openssl_handles.h"

namespace meshcore::ca {
namespace {

// One DER element: where it starts, where its contents are, what it is.
struct Tlv {
    const unsigned char *start = nullptr;
    const unsigned char *content = nullptr;
    long length = 0;
    int tag = 0;
    int cls = 0;
    bool constructed = false;
    long totalLength() const { return static_cast<long>(content - start) + length; }
};

bool readTlv(const unsigned char *&p, const unsigned char *end, Tlv &out)
{
    if (p >= end)
        return false;
    const unsigned char *start = p;
    long length = 0;
    int tag = 0;
    int cls = 0;
    const int flags = ASN1_get_object(&p, &length, &tag, &cls, end - p);
    if ((flags & 0x80) || flags == 0x21) // error, or indefinite length (not DER)
        return false;
    out = Tlv {start, p, length, tag, cls, (flags & V_ASN1_CONSTRUCTED) != 0};
    p += length;
    return p <= end;
}

bool isUniversal(const Tlv &tlv, int tag, bool constructed)
{
    return tlv.cls == V_ASN1_UNIVERSAL && tlv.tag == tag && tlv.constructed == constructed;
}

int algorithmNid(const Tlv &tlv, int *parameterNid)
{
    const unsigned char *p = tlv.start;
    OpenSslPtr<X509_ALGOR, X509_ALGOR_free> algor(d2i_X509_ALGOR(nullptr, &p, tlv.totalLength()));
    if (!algor)
        return NID_undef;
    const ASN1_OBJECT *oid = nullptr;
    int parameterType = 0;
    const void *parameter = nullptr;
    X509_ALGOR_get0(&oid, &parameterType, &parameter, algor.get());
    if (parameterNid)
        *parameterNid = parameterType == V_ASN1_OBJECT
            ? OBJ_obj2nid(static_cast<const ASN1_OBJECT *>(parameter))
            : NID_undef;
    return OBJ_obj2nid(oid);
}

// The bytes of a BIT STRING with no unused bits.
bool bitStringBytes(const Tlv &tlv, const unsigned char **bytes, long *length)
{
    if (!isUniversal(tlv, V_ASN1_BIT_STRING, false) || tlv.length < 2 || tlv.content[0] != 0)
        return false;
    *bytes = tlv.content + 1;
    *length = tlv.length - 1;
    return true;
}

void readSans(const Tlv &extensionsTlv, CsrRequest &out)
{
    const unsigned char *p = extensionsTlv.start;
    STACK_OF(X509_EXTENSION) *extensions
        = d2i_X509_EXTENSIONS(nullptr, &p, extensionsTlv.totalLength());
    for (int i = 0; extensions && i < sk_X509_EXTENSION_num(extensions); ++i) {
        X509_EXTENSION *extension = sk_X509_EXTENSION_value(extensions, i);
        if (OBJ_obj2nid(X509_EXTENSION_get_object(extension)) != NID_subject_alt_name)
            continue;
        GeneralNamesPtr names(static_cast<GENERAL_NAMES *>(X509V3_EXT_d2i(extension)));
        if (!names) {
            ++out.otherSanCount; // unreadable: never granted
            continue;
        }
        for (int n = 0; n < sk_GENERAL_NAME_num(names.get()); ++n) {
            const GENERAL_NAME *name = sk_GENERAL_NAME_value(names.get(), n);
            if (name->type == GEN_URI) {
                const auto *s = name->d.uniformResourceIdentifier;
                out.uriSans.emplace_back(reinterpret_cast<const char *>(ASN1_STRING_get0_data(s)),
                                         static_cast<std::size_t>(ASN1_STRING_length(s)));
            } else {
                ++out.otherSanCount;
            }
        }
    }
    sk_X509_EXTENSION_pop_free(extensions, X509_EXTENSION_free);
}

// attributes [0] IMPLICIT SET OF Attribute; Attribute ::= SEQUENCE { type OID, values SET OF ANY }
bool readAttributes(const Tlv &attributes, CsrRequest &out)
{
    const unsigned char *p = attributes.content;
    const unsigned char *end = attributes.content + attributes.length;
    while (p < end) {
        Tlv attribute;
        if (!readTlv(p, end, attribute) || !isUniversal(attribute, V_ASN1_SEQUENCE, true))
            return false;
        const unsigned char *q = attribute.content;
        const unsigned char *attributeEnd = attribute.content + attribute.length;
        Tlv type;
        Tlv values;
        if (!readTlv(q, attributeEnd, type) || !isUniversal(type, V_ASN1_OBJECT, false)
            || !readTlv(q, attributeEnd, values) || !isUniversal(values, V_ASN1_SET, true)
            || q != attributeEnd)
            return false;
        const unsigned char *t = type.start;
        OpenSslPtr<ASN1_OBJECT, ASN1_OBJECT_free> oid(
            d2i_ASN1_OBJECT(nullptr, &t, type.totalLength()));
        if (!oid)
            return false;
        if (OBJ_obj2nid(oid.get()) != NID_ext_req)
            continue;
        const unsigned char *v = values.content;
        const unsigned char *valuesEnd = values.content + values.length;
        while (v < valuesEnd) {
            Tlv extensions;
            if (!readTlv(v, valuesEnd, extensions)
                || !isUniversal(extensions, V_ASN1_SEQUENCE, true))
                return false;
            readSans(extensions, out);
        }
    }
    return true;
}

// A P-256 public key from its encoded point, as a legacy-backed EVP_PKEY: X509_set_pubkey then
// encodes it without OpenSSL 3.0's encoder/decoder round trip and keeps it attached.
std::shared_ptr<EVP_PKEY> p256KeyFromPoint(const unsigned char *point, long length)
{
    static const EC_GROUP *const Group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    OpenSslPtr<EC_KEY, EC_KEY_free> ec(EC_KEY_new());
    // oct2key decodes the point and checks that it lies on the curve.
    if (!Group || !ec || EC_KEY_set_group(ec.get(), Group) != 1
        || EC_KEY_oct2key(ec.get(), point, static_cast<std::size_t>(length), nullptr) != 1)
        return nullptr;
    EVP_PKEY *key = EVP_PKEY_new();
    if (!key || EVP_PKEY_assign_EC_KEY(key, ec.get()) != 1) {
        EVP_PKEY_free(key);
        return nullptr;
    }
    ec.release();
    return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

bool verifyEcdsaSha256(EVP_PKEY *key, const unsigned char *data, std::size_t dataLength,
                       const unsigned char *signature, long signatureLength)
{
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(data, dataLength, digest);
    OpenSslPtr<EC_KEY, EC_KEY_free> ec(EVP_PKEY_get1_EC_KEY(key));
    return ec
        && ECDSA_verify(0, digest, sizeof digest, signature, static_cast<int>(signatureLength),
                        ec.get())
        == 1;
}

} // namespace

Result<std::string> createCsrPem(const PrivateKey &key, const SpiffeId &identity)
{
    X509ReqPtr request(X509_REQ_new());
    X509_REQ_set_version(request.get(), 0);
    X509_REQ_set_pubkey(request.get(), key.get());
    const std::string san = "URI:" + identity.toString();
    X509ExtensionPtr extension(
        X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, san.c_str()));
    if (!extension)
        return makeError(ErrorCode::Internal, takeOpenSslError("cannot encode the identity"));
    STACK_OF(X509_EXTENSION) *extensions = sk_X509_EXTENSION_new_null();
    sk_X509_EXTENSION_push(extensions, extension.get());
    const int added = X509_REQ_add_extensions(request.get(), extensions);
    sk_X509_EXTENSION_free(extensions);
    if (!added || !X509_REQ_sign(request.get(), key.get(), EVP_sha256()))
        return makeError(ErrorCode::Internal, takeOpenSslError("cannot sign the request"));
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509_REQ(bio.get(), request.get());
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(length));
}

Result<CsrRequest> parseCsrPem(std::string_view pem)
{
    const auto malformed = [](const std::string &why) {
        return makeError(ErrorCode::InvalidArgument, "not a valid certificate request: " + why);
    };
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    char *name = nullptr;
    char *header = nullptr;
    unsigned char *der = nullptr;
    long derLength = 0;
    if (PEM_read_bio(bio.get(), &name, &header, &der, &derLength) != 1) {
        takeOpenSslError("");
        return makeError(ErrorCode::InvalidArgument, "not a PEM certificate request");
    }
    const std::string blockName = name;
    OPENSSL_free(name);
    OPENSSL_free(header);
    std::unique_ptr<unsigned char, void (*)(unsigned char *)> derOwner(
        der, [](unsigned char *d) { OPENSSL_free(d); });
    if (blockName != "CERTIFICATE REQUEST" && blockName != "NEW CERTIFICATE REQUEST")
        return makeError(ErrorCode::InvalidArgument,
                         "not a PEM certificate request (found " + blockName + ")");

    // CertificationRequest ::= SEQUENCE { info, signatureAlgorithm, signature BIT STRING }
    const unsigned char *p = der;
    const unsigned char *end = der + derLength;
    Tlv outer;
    if (!readTlv(p, end, outer) || !isUniversal(outer, V_ASN1_SEQUENCE, true) || p != end)
        return malformed("bad outer structure or trailing bytes");
    p = outer.content;
    Tlv info;
    Tlv signatureAlgorithm;
    Tlv signature;
    if (!readTlv(p, end, info) || !isUniversal(info, V_ASN1_SEQUENCE, true)
        || !readTlv(p, end, signatureAlgorithm)
        || !isUniversal(signatureAlgorithm, V_ASN1_SEQUENCE, true) || !readTlv(p, end, signature)
        || p != end)
        return malformed("bad request structure");

    // CertificationRequestInfo ::= SEQUENCE { version 0, subject, subjectPKInfo, [0] attributes }
    const unsigned char *q = info.content;
    const unsigned char *infoEnd = info.content + info.length;
    Tlv version;
    Tlv subject;
    Tlv spki;
    if (!readTlv(q, infoEnd, version) || !isUniversal(version, V_ASN1_INTEGER, false)
        || version.length != 1 || version.content[0] != 0 || !readTlv(q, infoEnd, subject)
        || !isUniversal(subject, V_ASN1_SEQUENCE, true) || !readTlv(q, infoEnd, spki)
        || !isUniversal(spki, V_ASN1_SEQUENCE, true))
        return malformed("bad request info");
    CsrRequest out;
    if (q < infoEnd) {
        Tlv attributes;
        if (!readTlv(q, infoEnd, attributes) || attributes.cls != V_ASN1_CONTEXT_SPECIFIC
            || attributes.tag != 0 || !attributes.constructed || q != infoEnd
            || !readAttributes(attributes, out))
            return malformed("bad attributes");
    }

    // SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING }: P-256 only.
    const unsigned char *k = spki.content;
    const unsigned char *spkiEnd = spki.content + spki.length;
    Tlv keyAlgorithm;
    Tlv keyBits;
    if (!readTlv(k, spkiEnd, keyAlgorithm) || !readTlv(k, spkiEnd, keyBits) || k != spkiEnd)
        return malformed("bad public key");
    int curve = NID_undef;
    if (algorithmNid(keyAlgorithm, &curve) != NID_X9_62_id_ecPublicKey
        || curve != NID_X9_62_prime256v1)
        return makeError(ErrorCode::InvalidArgument, "the request's key is not ECDSA P-256");
    const unsigned char *point = nullptr;
    long pointLength = 0;
    if (!bitStringBytes(keyBits, &point, &pointLength))
        return malformed("bad public key bits");
    out.publicKey = p256KeyFromPoint(point, pointLength);
    if (!out.publicKey) {
        takeOpenSslError("");
        return makeError(ErrorCode::InvalidArgument,
                         "the request's key is not a valid P-256 point");
    }

    // The signature: ECDSA with SHA-256 over the info exactly as sent.
    if (algorithmNid(signatureAlgorithm, nullptr) != NID_ecdsa_with_SHA256)
        return makeError(ErrorCode::InvalidArgument,
                         "the request must be signed with ECDSA and SHA-256");
    const unsigned char *signatureBytes = nullptr;
    long signatureLength = 0;
    if (!bitStringBytes(signature, &signatureBytes, &signatureLength))
        return malformed("bad signature encoding");
    if (!verifyEcdsaSha256(out.publicKey.get(), info.start,
                           static_cast<std::size_t>(info.totalLength()), signatureBytes,
                           signatureLength)) {
        takeOpenSslError("");
        return makeError(ErrorCode::InvalidArgument,
                         "the request's signature does not match its key");
    }
    return out;
}

} // namespace meshcore::ca
