#pragma once

// RAII owners for every OpenSSL object meshcore touches. No raw X509* or EVP_PKEY* escapes a
// function without one of these around it.

#include <memory>
#include <string>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace meshcore::ca {

template <typename T, void (*Free)(T *)> struct OpenSslDeleter {
    void operator()(T *p) const { Free(p); }
};

template <typename T, void (*Free)(T *)>
using OpenSslPtr = std::unique_ptr<T, OpenSslDeleter<T, Free>>;

using X509Ptr = OpenSslPtr<X509, X509_free>;
using X509ReqPtr = OpenSslPtr<X509_REQ, X509_REQ_free>;
using EvpPkeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using EvpPkeyCtxPtr = OpenSslPtr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using BioPtr = OpenSslPtr<BIO, BIO_free_all>;
using X509StorePtr = OpenSslPtr<X509_STORE, X509_STORE_free>;
using X509StoreCtxPtr = OpenSslPtr<X509_STORE_CTX, X509_STORE_CTX_free>;
using X509ExtensionPtr = OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using X509NamePtr = OpenSslPtr<X509_NAME, X509_NAME_free>;
using Asn1IntegerPtr = OpenSslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using BignumPtr = OpenSslPtr<BIGNUM, BN_free>;

inline void freeGeneralNames(GENERAL_NAMES *names)
{
    GENERAL_NAMES_free(names);
}
using GeneralNamesPtr = OpenSslPtr<GENERAL_NAMES, freeGeneralNames>;

inline void freeX509Stack(STACK_OF(X509) * stack)
{
    sk_X509_pop_free(stack, X509_free);
}
using X509StackPtr = OpenSslPtr<STACK_OF(X509), freeX509Stack>;

// The text of OpenSSL's error queue (emptied), for messages; `fallback` when the queue is empty.
std::string takeOpenSslError(const std::string &fallback);

} // namespace meshcore::ca
