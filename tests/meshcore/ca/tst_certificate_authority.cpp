#include <QTemporaryDir>
#include <QTest>

#include <future>
#include <set>
#include <sys/stat.h>
#include <thread>

#include <openssl/pem.h>

#include "ca/certificate_authority.h"
#include "ca/chain_verifier.h"
#include "ca/csr.h"
#include "ca/openssl_handles.h"
#include "core/state_dir.h"

using namespace meshcore::ca;
using namespace std::chrono_literals;
using meshcore::ManualClock;
namespace fs = std::filesystem;

namespace {

const SpiffeId Web {"mesh.local", "shop", "web"};

CaSettings shortSettings()
{
    CaSettings s;
    s.anchorLifetime = 10h;
    s.issuerLifetime = 5h;
    s.leafLifetime = 1h;
    s.clockSkew = 10s;
    return s;
}

std::string csrFor(const SpiffeId &id)
{
    return *createCsrPem(*PrivateKey::generateP256(), id);
}

// A CSR built by hand, for requests the mesh's own code would never make.
std::string rawCsr(EVP_PKEY *publicKey, EVP_PKEY *signingKey, const std::string &sans)
{
    X509ReqPtr request(X509_REQ_new());
    X509_REQ_set_pubkey(request.get(), publicKey);
    if (!sans.empty()) {
        X509_EXTENSION *ext
            = X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, sans.c_str());
        STACK_OF(X509_EXTENSION) *stack = sk_X509_EXTENSION_new_null();
        sk_X509_EXTENSION_push(stack, ext);
        X509_REQ_add_extensions(request.get(), stack);
        sk_X509_EXTENSION_pop_free(stack, X509_EXTENSION_free);
    }
    X509_REQ_sign(request.get(), signingKey, EVP_sha256());
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509_REQ(bio.get(), request.get());
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

struct Fixture {
    QTemporaryDir temp;
    ManualClock clock {std::chrono::system_clock::from_time_t(1'800'000'000)};
    fs::path stateDir() const { return fs::path(temp.path().toStdString()) / "state"; }
    std::unique_ptr<CertificateAuthority> create(const CaSettings &settings = shortSettings())
    {
        auto ca = CertificateAuthority::openOrCreate(stateDir(), settings, clock);
        if (!ca)
            qFatal("%s", ca.error().message.c_str());
        return std::move(*ca);
    }
};

bool verifies(const IssuedCertificate &issued, const std::vector<Certificate> &bundle,
              meshcore::TimePoint at)
{
    return verifyChain(issued.leaf, {issued.chain.begin() + 1, issued.chain.end()}, bundle, at)
        .has_value();
}

} // namespace

class TestCertificateAuthority : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void issuesALeafThatChainsToTheBundle()
    {
        Fixture f;
        auto ca = f.create();
        const auto issued = ca->issue(csrFor(Web), Web);
        QVERIFY2(issued, issued ? "" : issued.error().message.c_str());
        QVERIFY(verifies(*issued, ca->trustBundle(), f.clock.now()));
        QCOMPARE(issued->leaf.uriSans(), std::vector<std::string> {Web.toString()});
        QCOMPARE(issued->leaf.allSans().size(), std::size_t(1));
        QVERIFY(!issued->leaf.isCa());
        // NotBefore backdated by the skew allowance; lifetime as configured from now.
        QCOMPARE(issued->leaf.notBefore(), f.clock.now() - 10s);
        QCOMPARE(issued->leaf.notAfter(), f.clock.now() + 1h);
        QCOMPARE(issued->chain.size(), std::size_t(2));
        QVERIFY(issued->chain[1].sameAs(ca->issuerCertificate()));
    }

    void requestedLifetimeIsHonouredButNeverOutlivesTheIssuer()
    {
        Fixture f;
        auto ca = f.create();
        const auto shortLived = ca->issue(csrFor(Web), Web, 90s);
        QVERIFY(shortLived);
        QCOMPARE(shortLived->leaf.notAfter(), f.clock.now() + 90s);
        f.clock.advance(4h + 30min); // the issuer has 30 minutes left
        const auto capped = ca->issue(csrFor(Web), Web, 1h);
        QVERIFY(capped);
        QCOMPARE(capped->leaf.notAfter(), ca->issuerCertificate().notAfter());
    }

    void refusesBadRequests_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("P-384 key") << "p384"
                                   << "not ECDSA P-256";
        QTest::newRow("RSA key") << "rsa"
                                 << "not ECDSA P-256";
        QTest::newRow("two identities") << "two-uris"
                                        << "exactly one identity";
        QTest::newRow("identity and DNS name") << "uri-and-dns"
                                               << "exactly one identity";
        QTest::newRow("no identity") << "none"
                                     << "exactly one identity";
        QTest::newRow("not entitled") << "other-identity"
                                      << "only entitled to spiffe://mesh.local/ns/shop/sa/web";
        QTest::newRow("signature by another key") << "bad-signature"
                                                  << "signature does not match";
        QTest::newRow("not a CSR") << "garbage"
                                   << "not a valid certificate request";
    }
    void refusesBadRequests()
    {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        Fixture f;
        auto ca = f.create();
        const auto p256 = *PrivateKey::generateP256();
        const std::string uri = "URI:" + Web.toString();
        std::string csr;
        EVP_PKEY *other = nullptr;
        if (kind == "p384")
            other = EVP_EC_gen("P-384");
        else if (kind == "rsa")
            other = EVP_RSA_gen(2048);
        if (other) {
            csr = rawCsr(other, other, uri);
            EVP_PKEY_free(other);
        } else if (kind == "two-uris") {
            csr = rawCsr(p256.get(), p256.get(), uri + ",URI:spiffe://mesh.local/ns/shop/sa/admin");
        } else if (kind == "uri-and-dns") {
            csr = rawCsr(p256.get(), p256.get(), uri + ",DNS:web.shop");
        } else if (kind == "none") {
            csr = rawCsr(p256.get(), p256.get(), "");
        } else if (kind == "other-identity") {
            csr = csrFor(SpiffeId {"mesh.local", "shop", "admin"});
        } else if (kind == "bad-signature") {
            const auto signer = *PrivateKey::generateP256();
            csr = rawCsr(p256.get(), signer.get(), uri);
        } else {
            csr = "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n";
        }
        const auto issued = ca->issue(csr, Web);
        QVERIFY(!issued);
        QVERIFY2(QString::fromStdString(issued.error().message).contains(expected),
                 issued.error().message.c_str());
        QVERIFY(issued.error().message.starts_with("refused"));
    }

    void refusesIdentitiesOutsideTheTrustDomain()
    {
        Fixture f;
        auto ca = f.create();
        const SpiffeId foreign {"evil.example", "shop", "web"};
        const auto issued = ca->issue(csrFor(foreign), foreign);
        QVERIFY(!issued);
        QVERIFY(issued.error().message.find("not in trust domain 'mesh.local'")
                != std::string::npos);
    }

    void refusesToIssueFromAnExpiredIssuerAndSaysSo()
    {
        Fixture f;
        auto ca = f.create();
        f.clock.advance(5h + 1s);
        QVERIFY(!ca->canIssue());
        const auto issued = ca->issue(csrFor(Web), Web);
        QVERIFY(!issued);
        QVERIFY2(issued.error().message.find("issuer expired") != std::string::npos,
                 issued.error().message.c_str());
        QVERIFY(issued.error().message.find("meshd ca rotate-issuer") != std::string::npos);
        QVERIFY(ca->rotateIssuer());
        QVERIFY(ca->canIssue());
        QVERIFY(ca->issue(csrFor(Web), Web));
    }

    void anExpiredAnchorNeedsAnAnchorRotation()
    {
        Fixture f;
        auto ca = f.create();
        f.clock.advance(10h + 1s);
        const auto ready = ca->canIssue();
        QVERIFY(!ready);
        QVERIFY(ready.error().message.find("trust anchor expired") != std::string::npos);
        const auto rotated = ca->rotateIssuer();
        QVERIFY(!rotated);
        QVERIFY(rotated.error().message.find("rotate-anchor --stage add") != std::string::npos);
        QVERIFY(ca->rotateAnchor(AnchorStep::Add));
        QVERIFY(ca->rotateAnchor(AnchorStep::Reissue));
        QVERIFY(ca->issue(csrFor(Web), Web));
    }

    void statesWarnAndExpireAtTheRightMoments()
    {
        Fixture f;
        auto ca = f.create();
        const auto stateOf = [&](InventoryEntry::Kind kind) {
            for (const auto &e : ca->inventory())
                if (e.kind == kind)
                    return e.state;
            return CertState::Expired;
        };
        QCOMPARE(stateOf(InventoryEntry::Kind::Issuer), CertState::Ok);
        // 5h issuer: warning once under 20 % (1h) is left.
        f.clock.advance(4h - 1min);
        QCOMPARE(stateOf(InventoryEntry::Kind::Issuer), CertState::Ok);
        f.clock.advance(2min);
        QCOMPARE(stateOf(InventoryEntry::Kind::Issuer), CertState::Warning);
        QCOMPARE(stateOf(InventoryEntry::Kind::TrustAnchor), CertState::Ok);
        f.clock.advance(1h);
        QCOMPARE(stateOf(InventoryEntry::Kind::Issuer), CertState::Expired);

        // A 365-day anchor warns 60 days ahead (20 % would be 73).
        Fixture g;
        auto longLived = g.create(CaSettings {});
        const auto anchor = longLived->trustBundle().front();
        QCOMPARE(certStateAt(anchor, anchor.notAfter() - 61 * 24h), CertState::Ok);
        QCOMPARE(certStateAt(anchor, anchor.notAfter() - 59 * 24h), CertState::Warning);
        QCOMPARE(certStateAt(anchor, anchor.notAfter()), CertState::Expired);
    }

    void anchorRotationRunsInThreeStagesAndRefusesOtherOrders()
    {
        Fixture f;
        auto ca = f.create();
        const auto before = *ca->issue(csrFor(Web), Web);
        QVERIFY(!ca->rotateAnchor(AnchorStep::Reissue));
        QVERIFY(!ca->rotateAnchor(AnchorStep::Remove));

        QVERIFY(ca->rotateAnchor(AnchorStep::Add));
        QCOMPARE(ca->anchorStage(), AnchorStage::Added);
        QCOMPARE(ca->trustBundle().size(), std::size_t(2));
        const auto again = ca->rotateAnchor(AnchorStep::Add);
        QVERIFY(!again);
        QVERIFY(again.error().message.find("next step is --stage reissue") != std::string::npos);
        QVERIFY(!ca->rotateAnchor(AnchorStep::Remove));
        QVERIFY(verifies(before, ca->trustBundle(), f.clock.now()));

        QVERIFY(ca->rotateAnchor(AnchorStep::Reissue));
        QCOMPARE(ca->anchorStage(), AnchorStage::Reissued);
        const auto after = *ca->issue(csrFor(Web), Web);
        // Both generations verify while both anchors are trusted: no request fails mid-rotation.
        QVERIFY(verifies(before, ca->trustBundle(), f.clock.now()));
        QVERIFY(verifies(after, ca->trustBundle(), f.clock.now()));
        QVERIFY(!ca->rotateAnchor(AnchorStep::Reissue));

        QVERIFY(ca->rotateAnchor(AnchorStep::Remove));
        QCOMPARE(ca->anchorStage(), AnchorStage::Stable);
        QCOMPARE(ca->trustBundle().size(), std::size_t(1));
        QVERIFY(verifies(after, ca->trustBundle(), f.clock.now()));
        QVERIFY(!verifies(before, ca->trustBundle(), f.clock.now()));
    }

    void aRestartLoadsTheSameCa()
    {
        Fixture f;
        std::string anchor;
        std::string issuer;
        {
            auto ca = f.create();
            QVERIFY(ca->rotateIssuer());
            anchor = ca->trustBundle().front().serialHex();
            issuer = ca->issuerCertificate().serialHex();
            QVERIFY(ca->issue(csrFor(Web), Web));
            QVERIFY(ca->saveIssuedInventory());
        }
        auto reopened = CertificateAuthority::open(f.stateDir(), f.clock);
        QVERIFY(reopened);
        QCOMPARE((*reopened)->trustBundle().front().serialHex(), anchor);
        QCOMPARE((*reopened)->issuerCertificate().serialHex(), issuer);
        QCOMPARE((*reopened)->generation(), std::int64_t(2));
        const auto inventory = (*reopened)->inventory();
        QCOMPARE(std::count_if(inventory.begin(), inventory.end(),
                               [](const InventoryEntry &e) {
                                   return e.kind == InventoryEntry::Kind::Workload;
                               }),
                 1L);
        // Files are private from the start.
        struct stat info { };
        ::stat((f.stateDir() / "ca" / "ca.json").c_str(), &info);
        QCOMPARE(info.st_mode & 0777, 0600u);
        ::stat((f.stateDir() / "ca").c_str(), &info);
        QCOMPARE(info.st_mode & 0777, 0700u);
    }

    void concurrentBootstrapsEndWithOneCa()
    {
        Fixture f;
        std::vector<std::future<std::string>> starts;
        for (int i = 0; i < 6; ++i)
            starts.push_back(std::async(std::launch::async, [&] {
                auto ca
                    = CertificateAuthority::openOrCreate(f.stateDir(), shortSettings(), f.clock);
                return ca ? (*ca)->trustBundle().front().serialHex()
                          : std::string("error: ") + ca.error().message;
            }));
        std::set<std::string> anchors;
        for (auto &s : starts)
            anchors.insert(s.get());
        QCOMPARE(anchors.size(), std::size_t(1));
        QVERIFY(!anchors.begin()->starts_with("error"));
    }

    void damagedStateIsReportedAndNeverReplaced_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::newRow("garbage") << "garbage";
        QTest::newRow("truncated") << "truncated";
        QTest::newRow("key swapped") << "swapped-key";
    }
    void damagedStateIsReportedAndNeverReplaced()
    {
        QFETCH(QString, damage);
        Fixture f;
        f.create();
        const fs::path file = f.stateDir() / "ca" / "ca.json";
        std::string text = *meshcore::readSmallFile(file);
        if (damage == "garbage") {
            text = "this is not a CA";
        } else if (damage == "truncated") {
            text = text.substr(0, text.size() / 2);
        } else {
            const auto at = text.find("\"key\"", text.find("\"issuer\""));
            const auto start = text.find("-----BEGIN", at);
            const auto end = text.find("-----\\n\"", text.find("-----END", start));
            std::string fresh = PrivateKey::generateP256()->toPem();
            std::string escaped;
            for (char c : fresh)
                escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
            text.replace(start, end + 7 - start, escaped);
        }
        QVERIFY(meshcore::writeFileAtomically(file, text, 0600));
        const auto reopened
            = CertificateAuthority::openOrCreate(f.stateDir(), shortSettings(), f.clock);
        QVERIFY(!reopened);
        QVERIFY2(reopened.error().message.find("is damaged") != std::string::npos,
                 reopened.error().message.c_str());
        QVERIFY(reopened.error().message.find("left untouched") != std::string::npos);
        QCOMPARE(*meshcore::readSmallFile(file), text);
        if (damage == "swapped-key")
            QVERIFY(reopened.error().message.find("key does not match") != std::string::npos);
    }

    // A planted ca/ link would have the CA keys written wherever it points.
    void aCaDirectoryThatIsALinkIsRefusedAndNothingIsWrittenThere()
    {
        Fixture f;
        const fs::path elsewhere = fs::path(f.temp.path().toStdString()) / "elsewhere";
        fs::create_directories(elsewhere);
        QVERIFY(meshcore::ensurePrivateDir(f.stateDir()));
        fs::create_symlink(elsewhere, f.stateDir() / "ca");
        const auto created
            = CertificateAuthority::openOrCreate(f.stateDir(), shortSettings(), f.clock);
        QVERIFY(!created);
        QVERIFY2(created.error().message.find("/ca is a symbolic link") != std::string::npos,
                 created.error().message.c_str());
        const auto opened
            = CertificateAuthority::open(f.stateDir(), f.clock); // the `meshd ca` verbs
        QVERIFY(!opened);
        QVERIFY2(opened.error().message.find("/ca is a symbolic link") != std::string::npos,
                 opened.error().message.c_str());
        QVERIFY(fs::is_empty(elsewhere));
    }

    void temporaryFilesOfAKilledSaveAreRemovedUnderTheLock()
    {
        Fixture f;
        f.create();
        const fs::path stale = f.stateDir() / "ca" / ".ca.json.tmp-4242-1";
        QVERIFY(meshcore::writeFileAtomically(stale, "{\"key\": \"half a CA\"}", 0600));
        QVERIFY(CertificateAuthority::open(f.stateDir(), f.clock));
        QVERIFY(!fs::exists(stale));
    }

    void theIssuerRotatesOnScheduleAndOtherProcessesChangesAreSeen()
    {
        Fixture f;
        auto meshd = f.create();
        const auto first = meshd->issuerCertificate();
        f.clock.advance(3h);
        QCOMPARE(*meshd->rotateIssuerIfDue(), false);
        f.clock.advance(20min + 1s); // two thirds of 5h (plus the 10 s backdate) have passed
        QCOMPARE(*meshd->rotateIssuerIfDue(), true);
        QVERIFY(!meshd->issuerCertificate().sameAs(first));
        QCOMPARE(*meshd->rotateIssuerIfDue(), false);

        // `meshd ca rotate-issuer` in another process: the running CA notices on its next check.
        auto cli = CertificateAuthority::open(f.stateDir(), f.clock);
        QVERIFY(cli);
        QVERIFY((*cli)->rotateIssuer());
        QCOMPARE(*meshd->reloadIfChanged(), true);
        QVERIFY(meshd->issuerCertificate().sameAs((*cli)->issuerCertificate()));
        QCOMPARE(*meshd->reloadIfChanged(), false);
    }

    void anIssuerCutShortByItsAnchorIsNotRotatedInALoop()
    {
        Fixture f;
        auto ca = f.create();
        f.clock.advance(8h); // the anchor has 2h left; a new issuer could not outlive it
        QVERIFY(ca->rotateIssuer());
        const auto generation = ca->generation();
        f.clock.advance(90min);
        QCOMPARE(*ca->rotateIssuerIfDue(), false);
        QCOMPARE(ca->generation(), generation);
    }

    void settingsAreValidated()
    {
        Fixture f;
        CaSettings bad = shortSettings();
        bad.leafLifetime = 6h;
        const auto ca = CertificateAuthority::openOrCreate(f.stateDir(), bad, f.clock);
        QVERIFY(!ca);
        QVERIFY(ca.error().message.find("cannot exceed the issuer") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestCertificateAuthority)
#include "tst_certificate_authority.moc"
