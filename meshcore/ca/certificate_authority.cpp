#include "ca/certificate_authority.h"

#include <algorithm>
#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "ca/certificate_signer.h"
#include "ca/csr.h"
#include "ca/private_key.h"
#include "core/file_lock.h"
#include "core/json_dump.h"
#include "core/private_path.h"
#include "core/state_dir.h"

namespace meshcore::ca {
namespace fs = std::filesystem;

namespace {

constexpr const char *StateFile = "ca.json";
constexpr const char *BundleFile = "trust-bundle.pem";
constexpr const char *IssuedFile = "issued.json";
constexpr const char *LockFile = "ca.lock";

std::pair<std::uint64_t, std::int64_t> fileIdentity(const fs::path &path)
{
    struct stat info { };
    if (::stat(path.c_str(), &info) != 0)
        return {0, 0};
    return {info.st_ino, info.st_mtim.tv_sec * 1000000000LL + info.st_mtim.tv_nsec};
}

std::string isoTime(TimePoint t)
{
    const std::time_t seconds = std::chrono::system_clock::to_time_t(t);
    std::tm tm {};
    gmtime_r(&seconds, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S UTC", &tm);
    return buffer;
}

// The workload certificates in issued.json; unreadable entries are skipped (it is an inventory,
// not a source of truth).
std::vector<Certificate> readIssuedLeaves(const fs::path &file)
{
    std::vector<Certificate> leaves;
    if (auto issued = readPrivateFile(file, 64 << 20)) {
        const auto json = nlohmann::json::parse(*issued, nullptr, false);
        if (json.is_array())
            for (const auto &pem : json)
                if (pem.is_string())
                    if (auto leaf = Certificate::fromPem(pem.get<std::string>()))
                        leaves.push_back(*leaf);
    }
    return leaves;
}

Error damaged(const fs::path &dir, const std::string &why)
{
    return Error {ErrorCode::Config,
                  "the CA in " + dir.string() + " is damaged: " + why
                      + ". It was left untouched; restore it from a backup, or move the directory "
                        "away to start a new CA (every workload will then need new certificates)"};
}

// The state directory and its ca/ directory, where they exist, as core/private_path.h wants them:
// a CA is never read from, nor written to, a directory someone else could have planted.
Result<void> checkDirectories(const fs::path &stateDir)
{
    const auto fine = [](const Result<void> &checked) {
        return checked || checked.error().code == ErrorCode::NotFound;
    };
    if (auto checked
        = checkPrivatePath(stateDir, PathKind::Directory, OthersMay::Nothing, "state directory");
        !fine(checked))
        return checked;
    if (auto checked = checkPrivatePath(stateDir / "ca", PathKind::Directory); !fine(checked))
        return checked;
    return {};
}

} // namespace

Result<KeyedCertificate> createTrustAnchor(const CaSettings &settings, std::int64_t generation,
                                           TimePoint now)
{
    auto key = PrivateKey::generateP256();
    if (!key)
        return tl::unexpected(key.error());
    CertificateSpec spec;
    spec.kind = CertificateSpec::Kind::TrustAnchor;
    spec.commonName = "Meshscope trust anchor " + std::to_string(generation) + " ("
        + settings.trustDomain + ")";
    spec.notBefore = now - settings.clockSkew;
    spec.notAfter = now + settings.anchorLifetime;
    auto certificate = signCertificate(key->get(), spec, std::nullopt, *key);
    if (!certificate)
        return tl::unexpected(certificate.error());
    return KeyedCertificate {*certificate, *key};
}

CertificateAuthority::CertificateAuthority(fs::path dir, const Clock &clock)
    : m_dir(std::move(dir))
    , m_clock(clock)
{
}

bool CertificateAuthority::existsIn(const fs::path &stateDir)
{
    std::error_code ec;
    return fs::exists(stateDir / "ca" / StateFile, ec);
}

Result<std::unique_ptr<CertificateAuthority>> CertificateAuthority::open(const fs::path &stateDir,
                                                                         const Clock &clock)
{
    if (auto checked = checkDirectories(stateDir); !checked)
        return tl::unexpected(checked.error());
    if (!existsIn(stateDir))
        return makeError(ErrorCode::NotFound,
                         "no CA in " + (stateDir / "ca").string()
                             + "; create one with 'meshd ca init' (meshd up does it too)");
    std::unique_ptr<CertificateAuthority> ca(new CertificateAuthority(stateDir / "ca", clock));
    auto lock = FileLock::exclusive(ca->m_dir / LockFile);
    if (!lock)
        return tl::unexpected(lock.error());
    // Every writer to ca/ holds the lock: a temporary file seen now was left by a killed one.
    removeStaleTempFiles(ca->m_dir);
    if (auto loaded = ca->loadLocked(); !loaded)
        return tl::unexpected(loaded.error());
    return ca;
}

Result<std::unique_ptr<CertificateAuthority>>
CertificateAuthority::openOrCreate(const fs::path &stateDir, const CaSettings &settings,
                                   const Clock &clock)
{
    if (auto valid = validateSettings(settings); !valid)
        return tl::unexpected(valid.error());
    const fs::path dir = stateDir / "ca";
    if (auto made = ensurePrivateDir(stateDir, "state directory"); !made)
        return tl::unexpected(made.error());
    if (auto made = ensurePrivateDir(dir); !made)
        return tl::unexpected(made.error());
    std::unique_ptr<CertificateAuthority> ca(new CertificateAuthority(dir, clock));
    // Whoever takes the lock first creates the CA; everyone after it loads that one.
    auto lock = FileLock::exclusive(dir / LockFile);
    if (!lock)
        return tl::unexpected(lock.error());
    removeStaleTempFiles(dir); // as in open()
    if (existsIn(stateDir)) {
        if (auto loaded = ca->loadLocked(); !loaded)
            return tl::unexpected(loaded.error());
        return ca;
    }

    const TimePoint now = clock.now();
    CaState state;
    state.settings = settings;
    state.generation = 1;
    auto anchor = createTrustAnchor(settings, state.generation, now);
    if (!anchor)
        return tl::unexpected(anchor.error());
    state.signingAnchor = *anchor;
    state.trustBundle = {anchor->certificate};
    auto issuer = ca->newIssuer(state, state.signingAnchor);
    if (!issuer)
        return tl::unexpected(issuer.error());
    state.issuer = *issuer;
    if (auto saved = ca->saveLocked(state); !saved)
        return tl::unexpected(saved.error());
    ca->m_created = true;
    return ca;
}

Result<void> CertificateAuthority::loadLocked()
{
    const fs::path file = m_dir / StateFile;
    auto text = readPrivateFile(file, 4 << 20);
    if (!text && text.error().code == ErrorCode::PermissionDenied)
        return tl::unexpected(text.error()); // not damaged: not to be trusted (a link, not ours)
    if (!text)
        return tl::unexpected(damaged(m_dir, text.error().message));
    auto state = parseState(*text, file.string());
    if (!state)
        return tl::unexpected(damaged(m_dir, state.error().message));
    // Keep the derived bundle file in step (it may be stale after a crash between two writes).
    const std::string bundle = toPem(state->trustBundle);
    auto onDisk = readPrivateFile(m_dir / BundleFile, 4 << 20, OthersMay::Read);
    if (!onDisk || *onDisk != bundle)
        (void)writeFileAtomically(m_dir / BundleFile, bundle, 0644);

    auto leaves = readIssuedLeaves(m_dir / IssuedFile);

    std::lock_guard guard(m_mutex);
    m_state = std::make_shared<const CaState>(std::move(*state));
    m_fileIdentity = fileIdentity(file);
    for (auto &leaf : leaves) {
        const bool known = std::any_of(m_leaves.begin(), m_leaves.end(),
                                       [&](const Certificate &c) { return c.sameAs(leaf); });
        if (!known)
            m_leaves.push_back(std::move(leaf));
    }
    return {};
}

Result<void> CertificateAuthority::saveLocked(const CaState &state)
{
    const fs::path file = m_dir / StateFile;
    if (auto written = writeFileAtomically(file, serializeState(state), 0600); !written)
        return written;
    if (auto written = writeFileAtomically(m_dir / BundleFile, toPem(state.trustBundle), 0644);
        !written)
        return written;
    std::lock_guard guard(m_mutex);
    m_state = std::make_shared<const CaState>(state);
    m_fileIdentity = fileIdentity(file);
    return {};
}

Result<bool> CertificateAuthority::reloadIfChanged()
{
    {
        std::lock_guard guard(m_mutex);
        if (fileIdentity(m_dir / StateFile) == m_fileIdentity)
            return false;
    }
    auto lock = FileLock::exclusive(m_dir / LockFile);
    if (!lock)
        return tl::unexpected(lock.error());
    if (auto loaded = loadLocked(); !loaded)
        return tl::unexpected(loaded.error());
    return true;
}

Result<void> CertificateAuthority::mutate(const std::function<Result<void>(CaState &)> &change)
{
    auto lock = FileLock::exclusive(m_dir / LockFile);
    if (!lock)
        return tl::unexpected(lock.error());
    bool stale = false;
    {
        std::lock_guard guard(m_mutex);
        stale = fileIdentity(m_dir / StateFile) != m_fileIdentity;
    }
    if (stale)
        if (auto loaded = loadLocked(); !loaded)
            return loaded;
    CaState next = *snapshot();
    if (auto changed = change(next); !changed)
        return changed;
    next.generation += 1;
    if (auto valid = validateState(next); !valid)
        return makeError(ErrorCode::Internal,
                         "refusing to save an inconsistent CA: " + valid.error().message);
    return saveLocked(next);
}

std::shared_ptr<const CaState> CertificateAuthority::snapshot() const
{
    std::lock_guard guard(m_mutex);
    return m_state;
}

Result<KeyedCertificate> CertificateAuthority::newIssuer(const CaState &state,
                                                         const KeyedCertificate &anchor) const
{
    const TimePoint now = m_clock.now();
    if (now >= anchor.certificate.notAfter())
        return makeError(ErrorCode::Config,
                         "cannot make an issuer: the trust anchor expired at "
                             + isoTime(anchor.certificate.notAfter())
                             + "; rotate the trust anchor (meshd ca rotate-anchor --stage add)");
    auto key = PrivateKey::generateP256();
    if (!key)
        return tl::unexpected(key.error());
    CertificateSpec spec;
    spec.kind = CertificateSpec::Kind::Issuer;
    spec.commonName = "Meshscope issuer " + std::to_string(state.generation) + " ("
        + state.settings.trustDomain + ")";
    spec.notBefore = std::max(now - state.settings.clockSkew, anchor.certificate.notBefore());
    spec.notAfter = std::min(now + state.settings.issuerLifetime, anchor.certificate.notAfter());
    auto certificate = signCertificate(key->get(), spec, anchor.certificate, anchor.key);
    if (!certificate)
        return tl::unexpected(certificate.error());
    return KeyedCertificate {*certificate, *key};
}

Result<void> CertificateAuthority::canIssue() const
{
    const auto state = snapshot();
    const TimePoint now = m_clock.now();
    const auto &anchor = state->signingAnchor.certificate;
    const auto &issuer = state->issuer.certificate;
    if (now >= anchor.notAfter())
        return makeError(ErrorCode::Config,
                         "the CA cannot issue: its trust anchor expired at "
                             + isoTime(anchor.notAfter())
                             + "; rotate it with 'meshd ca rotate-anchor --stage add'");
    if (now >= issuer.notAfter())
        return makeError(ErrorCode::Config,
                         "the CA cannot issue: its issuer expired at " + isoTime(issuer.notAfter())
                             + "; run 'meshd ca rotate-issuer'");
    if (now < issuer.notBefore())
        return makeError(ErrorCode::Config,
                         "the CA cannot issue: its issuer is not valid before "
                             + isoTime(issuer.notBefore()) + " (is the clock right?)");
    return {};
}

Result<IssuedCertificate> CertificateAuthority::issue(std::string_view csrPem,
                                                      const SpiffeId &entitled,
                                                      std::optional<Seconds> lifetime)
{
    const auto state = snapshot();
    if (auto ready = canIssue(); !ready)
        return tl::unexpected(ready.error());
    if (entitled.trustDomain != state->settings.trustDomain)
        return makeError(ErrorCode::InvalidArgument,
                         "refused: " + entitled.toString() + " is not in trust domain '"
                             + state->settings.trustDomain + "'");
    auto request = parseCsrPem(csrPem);
    if (!request)
        return makeError(ErrorCode::InvalidArgument, "refused: " + request.error().message);
    if (request->otherSanCount != 0 || request->uriSans.size() != 1)
        return makeError(ErrorCode::InvalidArgument,
                         "refused: a request must name exactly one identity (one URI SAN and "
                         "nothing else), this one names "
                             + std::to_string(request->uriSans.size() + request->otherSanCount));
    if (request->uriSans.front() != entitled.toString())
        return makeError(ErrorCode::PermissionDenied,
                         "refused: the request asks for " + request->uriSans.front()
                             + " but its sender is only entitled to " + entitled.toString());
    const Seconds wanted = lifetime.value_or(state->settings.leafLifetime);
    if (wanted < Seconds(1))
        return makeError(ErrorCode::InvalidArgument,
                         "refused: a certificate must live at least 1s");

    const TimePoint now = m_clock.now();
    const auto &issuer = state->issuer;
    CertificateSpec spec;
    spec.kind = CertificateSpec::Kind::Workload;
    spec.uriSan = entitled.toString();
    spec.notBefore = std::max(now - state->settings.clockSkew, issuer.certificate.notBefore());
    spec.notAfter = std::min(now + wanted, issuer.certificate.notAfter());
    auto leaf = signCertificate(request->publicKey.get(), spec, issuer.certificate, issuer.key);
    if (!leaf)
        return tl::unexpected(leaf.error());
    remember(*leaf);
    return IssuedCertificate {*leaf, {*leaf, issuer.certificate}, state->trustBundle};
}

void CertificateAuthority::remember(const Certificate &leaf)
{
    const TimePoint now = m_clock.now();
    std::lock_guard guard(m_mutex);
    while (!m_leaves.empty()
           && (m_leaves.size() >= MaxRememberedLeaves || m_leaves.front().notAfter() <= now))
        m_leaves.pop_front();
    m_leaves.push_back(leaf);
    m_leavesDirty = true;
}

Result<void> CertificateAuthority::rotateIssuer()
{
    return mutate([this](CaState &state) -> Result<void> {
        auto issuer = newIssuer(state, state.signingAnchor);
        if (!issuer)
            return tl::unexpected(issuer.error());
        state.issuer = *issuer;
        return {};
    });
}

Result<bool> CertificateAuthority::rotateIssuerIfDue()
{
    const auto state = snapshot();
    const TimePoint now = m_clock.now();
    const auto &issuer = state->issuer.certificate;
    const auto &anchor = state->signingAnchor.certificate;
    const auto dueAt = issuer.notBefore() + (issuer.notAfter() - issuer.notBefore()) * 2 / 3;
    if (now < dueAt || now >= anchor.notAfter())
        return false;
    // An issuer cut short by its anchor cannot be improved on: wait for the anchor's rotation.
    const auto possible = std::min(now + state->settings.issuerLifetime, anchor.notAfter());
    if (possible <= issuer.notAfter() + std::chrono::seconds(1))
        return false;
    if (auto rotated = rotateIssuer(); !rotated)
        return tl::unexpected(rotated.error());
    return true;
}

Result<void> CertificateAuthority::rotateAnchor(AnchorStep step)
{
    return mutate([this, step](CaState &state) -> Result<void> {
        const auto outOfOrder = [&](const std::string &next) {
            return makeError(ErrorCode::InvalidArgument,
                             std::string("out of order: the trust-anchor rotation is at stage '")
                                 + anchorStageName(state.stage) + "'; " + next);
        };
        switch (step) {
        case AnchorStep::Add: {
            if (state.stage != AnchorStage::Stable)
                return outOfOrder(state.stage == AnchorStage::Added
                                      ? "the next step is --stage reissue"
                                      : "the next step is --stage remove");
            auto anchor = createTrustAnchor(state.settings, state.generation + 1, m_clock.now());
            if (!anchor)
                return tl::unexpected(anchor.error());
            state.trustBundle.push_back(anchor->certificate);
            state.nextAnchor = *anchor;
            state.stage = AnchorStage::Added;
            return {};
        }
        case AnchorStep::Reissue: {
            if (state.stage != AnchorStage::Added)
                return outOfOrder(state.stage == AnchorStage::Stable
                                      ? "start with --stage add"
                                      : "the next step is --stage remove");
            auto issuer = newIssuer(state, *state.nextAnchor);
            if (!issuer)
                return tl::unexpected(issuer.error());
            state.signingAnchor = *state.nextAnchor;
            state.nextAnchor.reset();
            state.issuer = *issuer;
            state.stage = AnchorStage::Reissued;
            return {};
        }
        case AnchorStep::Remove: {
            if (state.stage != AnchorStage::Reissued)
                return outOfOrder(state.stage == AnchorStage::Stable
                                      ? "start with --stage add"
                                      : "run --stage reissue first, or workloads signed under the "
                                        "new anchor would not exist yet");
            state.trustBundle = {state.signingAnchor.certificate};
            state.stage = AnchorStage::Stable;
            return {};
        }
        }
        return {};
    });
}

Result<void> CertificateAuthority::saveIssuedInventory()
{
    auto lock = FileLock::exclusive(m_dir / LockFile);
    if (!lock)
        return tl::unexpected(lock.error());
    auto merged = readIssuedLeaves(m_dir / IssuedFile);
    const TimePoint now = m_clock.now();
    {
        std::lock_guard guard(m_mutex);
        for (const auto &leaf : m_leaves)
            if (std::none_of(merged.begin(), merged.end(),
                             [&](const Certificate &c) { return c.sameAs(leaf); }))
                merged.push_back(leaf);
        m_leavesDirty = false;
    }
    std::erase_if(merged, [&](const Certificate &c) { return c.notAfter() <= now; });
    if (merged.size() > MaxRememberedLeaves)
        merged.erase(merged.begin(), merged.end() - static_cast<long>(MaxRememberedLeaves));
    nlohmann::json json = nlohmann::json::array();
    for (const auto &leaf : merged)
        json.push_back(leaf.toPem());
    return writeFileAtomically(m_dir / IssuedFile, dumpJson(json) + "\n", 0600);
}

std::optional<AnchorStep> parseAnchorStep(std::string_view stage)
{
    if (stage == "add")
        return AnchorStep::Add;
    if (stage == "reissue")
        return AnchorStep::Reissue;
    if (stage == "remove")
        return AnchorStep::Remove;
    return std::nullopt;
}

std::vector<InventoryEntry> CertificateAuthority::inventory() const
{
    const auto state = snapshot();
    const TimePoint now = m_clock.now();
    std::vector<InventoryEntry> out;
    for (const auto &anchor : state->trustBundle) {
        std::string role = "old";
        if (anchor.sameAs(state->signingAnchor.certificate))
            role = "signing";
        else if (state->nextAnchor && anchor.sameAs(state->nextAnchor->certificate))
            role = "new";
        out.push_back(makeInventoryEntry(InventoryEntry::Kind::TrustAnchor, anchor, role, now));
    }
    out.push_back(makeInventoryEntry(InventoryEntry::Kind::Issuer, state->issuer.certificate,
                                     "current", now));
    std::lock_guard guard(m_mutex);
    for (const auto &leaf : m_leaves)
        out.push_back(makeInventoryEntry(InventoryEntry::Kind::Workload, leaf, "", now));
    return out;
}

std::vector<Certificate> CertificateAuthority::trustBundle() const
{
    return snapshot()->trustBundle;
}

Certificate CertificateAuthority::issuerCertificate() const
{
    return snapshot()->issuer.certificate;
}

CaSettings CertificateAuthority::settings() const
{
    return snapshot()->settings;
}

AnchorStage CertificateAuthority::anchorStage() const
{
    return snapshot()->stage;
}

std::int64_t CertificateAuthority::generation() const
{
    return snapshot()->generation;
}

} // namespace meshcore::ca
