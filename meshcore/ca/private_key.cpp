#include "ca/private_key.h"

#include <openssl/core_names.h>
#include <openssl/pem.h>

#include "ca/openssl_handles.h"

namespace meshcore::ca {

Result<PrivateKey> PrivateKey::generateP256()
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    if (!key)
        return makeError(ErrorCode::Internal, takeOpenSslError("P-256 key generation failed"));
    return PrivateKey(std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free));
}

Result<PrivateKey> PrivateKey::fromPem(std::string_view pem)
{
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    EVP_PKEY *key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
    if (!key)
        return makeError(ErrorCode::InvalidArgument,
                         "not a PEM private key: " + takeOpenSslError("unreadable"));
    std::shared_ptr<EVP_PKEY> owned(key, EVP_PKEY_free);
    if (!isP256Key(key))
        return makeError(ErrorCode::InvalidArgument, "the private key is not an ECDSA P-256 key");
    return PrivateKey(std::move(owned));
}

std::string PrivateKey::toPem() const
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(bio.get(), m_key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    char *data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(length));
}

bool isP256Key(EVP_PKEY *key)
{
    if (!key || !EVP_PKEY_is_a(key, "EC"))
        return false;
    char group[64] = {};
    std::size_t length = 0;
    if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group,
                                        &length))
        return false;
    const std::string_view name(group, length);
    return name == "prime256v1" || name == "P-256";
}

} // namespace meshcore::ca
