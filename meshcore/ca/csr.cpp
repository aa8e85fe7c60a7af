#include "ca/csr.h"

#include <openssl/pem.h>

#include "ca/openssl_handles.h"

namespace meshcore::ca {

Result<std::string> createCsrPem(const PrivateKey &key, const SpiffeId &identity)
{
    X509ReqPtr request(X509_REQ_new());
    X509_REQ_set_version(request.get(), 0);
    X509_REQ_set_pubkey(request.get(), key.get());
    const std::string san = "URI:" + identity.toString();
    X509ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, san.c_str()));
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
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    X509ReqPtr request(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
    if (!request)
        return makeError(ErrorCode::InvalidArgument, "not a PEM certificate request: " + takeOpenSslError("unreadable"));
    EVP_PKEY *key = X509_REQ_get_pubkey(request.get());
    if (!key)
        return makeError(ErrorCode::InvalidArgument, "the request carries no public key");
    CsrRequest out;
    out.publicKey = std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
    if (X509_REQ_verify(request.get(), key) != 1)
        return makeError(ErrorCode::InvalidArgument,
                         "the request's signature does not match its key (" + takeOpenSslError("bad signature") + ")");
    STACK_OF(X509_EXTENSION) *extensions = X509_REQ_get_extensions(request.get());
    for (int i = 0; extensions && i < sk_X509_EXTENSION_num(extensions); ++i) {
        X509_EXTENSION *extension = sk_X509_EXTENSION_value(extensions, i);
        if (OBJ_obj2nid(X509_EXTENSION_get_object(extension)) != NID_subject_alt_name)
            continue;
        GeneralNamesPtr names(static_cast<GENERAL_NAMES *>(X509V3_EXT_d2i(extension)));
        for (int n = 0; names && n < sk_GENERAL_NAME_num(names.get()); ++n) {
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
    return out;
}

} // namespace meshcore::ca
