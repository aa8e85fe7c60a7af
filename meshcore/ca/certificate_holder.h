#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "ca/certificate_authority.h"
#include "ca/private_key.h"
#include "ca/spiffe_id.h"
#include "core/clock.h"
#include "core/result.h"

namespace meshcore::ca {

// One workload's key and certificate, renewed before expiry: at 70 % of the certificate's
// lifetime, never sooner than 10 s after it arrived. While the CA cannot be reached the current
// certificate stays in use and renewal is retried with jittered exponential backoff; a
// certificate that arrives expired, for another identity or for another key is refused.
// The key is generated here and never leaves the holder.
// Thread: owned by one thread (a proxy's control strand), which calls poll() from its timer.
class CertificateHolder {
public:
    using IssueFn = std::function<Result<IssuedCertificate>(const std::string &csrPem)>;

    struct Policy {
        double renewAt = 0.7;
        Seconds minRenewDelay = Seconds(10);
        Seconds retryMin = Seconds(1);
        Seconds retryMax = Seconds(60);
    };

    static Result<std::unique_ptr<CertificateHolder>> create(SpiffeId identity, IssueFn issue,
                                                             const Clock &clock, Policy policy);
    static Result<std::unique_ptr<CertificateHolder>> create(SpiffeId identity, IssueFn issue,
                                                             const Clock &clock)
    {
        return create(std::move(identity), std::move(issue), clock, Policy {});
    }

    // Fetches or renews the certificate when due. Returns when it wants to be called next.
    TimePoint poll();

    bool hasCertificate() const { return m_current.has_value(); }
    const IssuedCertificate &current() const { return *m_current; }
    const PrivateKey &key() const { return m_key; }
    const SpiffeId &identity() const { return m_identity; }
    TimePoint nextAttempt() const { return m_nextAttempt; }
    int consecutiveFailures() const { return m_failures; }
    const std::string &lastError() const { return m_lastError; }
    std::int64_t refreshCount() const { return m_refreshes; }

private:
    CertificateHolder(SpiffeId identity, IssueFn issue, const Clock &clock, Policy policy,
                      PrivateKey key, std::string csr);
    Result<void> accept(const IssuedCertificate &issued, TimePoint now) const;

    SpiffeId m_identity;
    IssueFn m_issue;
    const Clock &m_clock;
    Policy m_policy;
    PrivateKey m_key;
    std::string m_csr;
    std::optional<IssuedCertificate> m_current;
    TimePoint m_nextAttempt {};
    int m_failures = 0;
    std::string m_lastError;
    std::int64_t m_refreshes = 0;
    std::minstd_rand m_random;
};

} // namespace meshcore::ca
