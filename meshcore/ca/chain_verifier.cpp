#include "ca/chain_verifier.h"

#include "ca/openssl_handles.h"

namespace meshcore::ca {

Result<void> verifyChain(const Certificate &leaf, const std::vector<Certificate> &intermediates,
                         const std::vector<Certificate> &trustBundle, TimePoint at)
{
    X509StorePtr store(X509_STORE_new());
    for (const auto &anchor : trustBundle)
        X509_STORE_add_cert(store.get(), anchor.get());
    X509StackPtr untrusted(sk_X509_new_null());
    for (const auto &c : intermediates) {
        X509_up_ref(c.get());
        sk_X509_push(untrusted.get(), c.get());
    }
    X509StoreCtxPtr context(X509_STORE_CTX_new());
    if (!context
        || X509_STORE_CTX_init(context.get(), store.get(), leaf.get(), untrusted.get()) != 1)
        return makeError(ErrorCode::Internal, takeOpenSslError("cannot set up chain verification"));
    X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(context.get()),
                               std::chrono::system_clock::to_time_t(at));
    if (X509_verify_cert(context.get()) != 1) {
        const int code = X509_STORE_CTX_get_error(context.get());
        return makeError(ErrorCode::PermissionDenied,
                         std::string("certificate does not verify: ")
                             + X509_verify_cert_error_string(code));
    }
    return {};
}

} // namespace meshcore::ca
