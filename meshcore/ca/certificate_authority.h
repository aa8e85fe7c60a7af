#pragma once

#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "ca/ca_state.h"
#include "ca/certificate.h"
#include "ca/inventory.h"
#include "ca/spiffe_id.h"
#include "core/clock.h"
#include "core/result.h"

namespace meshcore::ca {

// A signed workload certificate with what its holder needs to use and check it.
struct IssuedCertificate {
    Certificate leaf;
    std::vector<Certificate> chain; // leaf, then issuer
    std::vector<Certificate> trustBundle; // every trusted anchor
};

enum class AnchorStep { Add, Reissue, Remove };
// "add", "reissue", "remove" (as the CLI and the API spell the stages).
std::optional<AnchorStep> parseAnchorStep(std::string_view stage);

// The mesh's certificate authority: a trust bundle of self-signed anchors, an issuer under the
// signing anchor, and workload leaves signed from CSRs. Its whole state lives in one file
// (<state>/ca/ca.json, 0600) replaced atomically under a lock, so meshd and `meshd ca` verbs can
// change it side by side; meshd picks up changes through reloadIfChanged().
// Thread-safe: issue() may run on many threads at once; changes are serialised.
class CertificateAuthority {
public:
    // Opens the CA in `stateDir`/ca, creating it with `settings` if there is none. Concurrent
    // callers on one empty directory end with the same CA. Damaged state is reported, never
    // replaced.
    static Result<std::unique_ptr<CertificateAuthority>>
    openOrCreate(const std::filesystem::path &stateDir, const CaSettings &settings,
                 const Clock &clock);
    // Opens an existing CA only.
    static Result<std::unique_ptr<CertificateAuthority>> open(const std::filesystem::path &stateDir,
                                                              const Clock &clock);
    static bool existsIn(const std::filesystem::path &stateDir);

    // Signs `csrPem` if it asks for exactly `entitled` (one URI SAN, nothing else) with a P-256
    // key. The leaf lives `lifetime` (default: the CA's leaf lifetime) plus the clock-skew
    // allowance before now, and never past the issuer.
    Result<IssuedCertificate> issue(std::string_view csrPem, const SpiffeId &entitled,
                                    std::optional<Seconds> lifetime = std::nullopt);

    // Why the CA cannot issue right now, if it cannot (expired issuer or anchor).
    Result<void> canIssue() const;

    Result<void> rotateIssuer();
    // Rotates the issuer once two thirds of its lifetime have passed. True if it rotated.
    Result<bool> rotateIssuerIfDue();
    Result<void> rotateAnchor(AnchorStep step);

    // Reloads the state file if another process changed it. True if it did.
    Result<bool> reloadIfChanged();
    // Writes the workload certificates issued so far to <state>/ca/issued.json (merged with
    // what other processes wrote), for `meshd ca inspect`.
    Result<void> saveIssuedInventory();

    std::vector<InventoryEntry> inventory() const;
    std::vector<Certificate> trustBundle() const;
    Certificate issuerCertificate() const;
    CaSettings settings() const;
    AnchorStage anchorStage() const;
    std::int64_t generation() const;
    std::filesystem::path directory() const { return m_dir; }
    // True if openOrCreate() made this CA (rather than finding one, perhaps made a moment ago by
    // a concurrent caller).
    bool wasCreated() const { return m_created; }

    static constexpr std::size_t MaxRememberedLeaves = 10000;

private:
    CertificateAuthority(std::filesystem::path dir, const Clock &clock);
    std::shared_ptr<const CaState> snapshot() const;
    Result<void> loadLocked();
    Result<void> saveLocked(const CaState &state);
    Result<void> mutate(const std::function<Result<void>(CaState &)> &change);
    Result<KeyedCertificate> newIssuer(const CaState &state, const KeyedCertificate &anchor) const;
    void remember(const Certificate &leaf);

    std::filesystem::path m_dir;
    const Clock &m_clock;
    mutable std::mutex m_mutex;
    std::shared_ptr<const CaState> m_state;
    std::pair<std::uint64_t, std::int64_t> m_fileIdentity {}; // inode, mtime ns of ca.json
    std::deque<Certificate> m_leaves;
    bool m_leavesDirty = false;
    bool m_created = false;
};

Result<KeyedCertificate> createTrustAnchor(const CaSettings &settings, std::int64_t generation,
                                           TimePoint now);

} // namespace meshcore::ca
