#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <openssl/evp.h>

#include "core/result.h"

namespace meshcore::ca {

// An ECDSA P-256 private key (the only kind the mesh uses). Generated where it is used; only its
// owner ever sees the PEM. Immutable and cheap to copy (shared).
class PrivateKey {
public:
    PrivateKey() = default; // empty: only to be assigned to
    bool isNull() const { return !m_key; }
    static Result<PrivateKey> generateP256();
    static Result<PrivateKey> fromPem(std::string_view pem);

    std::string toPem() const; // PKCS#8, unencrypted: callers write it 0600
    EVP_PKEY *get() const { return m_key.get(); }

private:
    explicit PrivateKey(std::shared_ptr<EVP_PKEY> key)
        : m_key(std::move(key))
    {
    }
    std::shared_ptr<EVP_PKEY> m_key;
};

// True for an EC key on the P-256 curve (prime256v1).
bool isP256Key(EVP_PKEY *key);

} // namespace meshcore::ca
