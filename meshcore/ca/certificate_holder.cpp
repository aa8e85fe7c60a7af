#include "ca/certificate_holder.h"

#include <algorithm>
#include <cmath>

#include "ca/csr.h"

namespace meshcore::ca {

Result<std::unique_ptr<CertificateHolder>>
CertificateHolder::create(SpiffeId identity, IssueFn issue, const Clock &clock, Policy policy)
{
    auto key = PrivateKey::generateP256();
    if (!key)
        return tl::unexpected(key.error());
    // Same key, same identity: one CSR serves every renewal.
    auto csr = createCsrPem(*key, identity);
    if (!csr)
        return tl::unexpected(csr.error());
    return std::unique_ptr<CertificateHolder>(new CertificateHolder(
        std::move(identity), std::move(issue), clock, policy, *key, std::move(*csr)));
}

CertificateHolder::CertificateHolder(SpiffeId identity, IssueFn issue, const Clock &clock,
                                     Policy policy, PrivateKey key, std::string csr)
    : m_identity(std::move(identity))
    , m_issue(std::move(issue))
    , m_clock(clock)
    , m_policy(policy)
    , m_key(std::move(key))
    , m_csr(std::move(csr))
    , m_random(std::random_device {}())
{
}

Result<void> CertificateHolder::accept(const IssuedCertificate &issued, TimePoint now) const
{
    const auto &leaf = issued.leaf;
    if (leaf.isNull())
        return makeError(ErrorCode::Protocol, "the CA sent no certificate");
    if (leaf.notAfter() <= now)
        return makeError(ErrorCode::Protocol,
                         "refused a certificate that had already expired on arrival");
    if (leaf.identity() != m_identity.toString())
        return makeError(ErrorCode::Protocol,
                         "refused a certificate for " + leaf.identity() + " instead of "
                             + m_identity.toString());
    if (X509_check_private_key(leaf.get(), m_key.get()) != 1)
        return makeError(ErrorCode::Protocol, "refused a certificate for another key");
    return {};
}

TimePoint CertificateHolder::poll()
{
    const TimePoint now = m_clock.now();
    if (now < m_nextAttempt)
        return m_nextAttempt;

    auto issued = m_issue(m_csr);
    Result<void> usable = issued ? accept(*issued, now) : tl::unexpected(issued.error());
    if (usable) {
        m_current = std::move(*issued);
        m_failures = 0;
        m_lastError.clear();
        ++m_refreshes;
        const auto lifetime = m_current->leaf.notAfter() - m_current->leaf.notBefore();
        const auto renewAt = m_current->leaf.notBefore()
            + std::chrono::duration_cast<TimePoint::duration>(lifetime * m_policy.renewAt);
        m_nextAttempt = std::max<TimePoint>(renewAt, now + m_policy.minRenewDelay);
        return m_nextAttempt;
    }

    // Keep what we have; try again soon, backing off, with jitter so a fleet does not stampede.
    ++m_failures;
    m_lastError = usable.error().message;
    const double exponent = std::min(m_failures - 1, 16);
    const auto base = std::min<double>(static_cast<double>(m_policy.retryMax.count()),
                                       static_cast<double>(m_policy.retryMin.count())
                                           * std::pow(2.0, exponent));
    const double jitter = std::uniform_real_distribution<double>(0.5, 1.0)(m_random);
    m_nextAttempt = now + std::chrono::milliseconds(static_cast<long long>(base * jitter * 1000));
    return m_nextAttempt;
}

} // namespace meshcore::ca
