#include <QTemporaryDir>
#include <QTest>

#include "ca/certificate_authority.h"
#include "ca/certificate_holder.h"
#include "ca/csr.h"

#include <cmath>

using namespace meshcore::ca;
using namespace std::chrono_literals;
using meshcore::ManualClock;

namespace {

const SpiffeId Web {"mesh.local", "shop", "web"};

// A CA on the holder's clock, whose availability the test switches.
struct Mesh {
    QTemporaryDir temp;
    ManualClock clock {std::chrono::system_clock::from_time_t(1'800'000'000)};
    std::unique_ptr<CertificateAuthority> ca;
    bool reachable = true;
    int calls = 0;

    explicit Mesh(std::chrono::seconds leafLifetime = 100s)
    {
        CaSettings settings;
        settings.leafLifetime = leafLifetime;
        ca = std::move(
            *CertificateAuthority::openOrCreate(temp.path().toStdString(), settings, clock));
    }

    CertificateHolder::IssueFn issuer()
    {
        return [this](const std::string &csr) -> meshcore::Result<IssuedCertificate> {
            ++calls;
            if (!reachable)
                return meshcore::makeError(meshcore::ErrorCode::ConnectionRefused,
                                           "CA unreachable");
            return ca->issue(csr, Web);
        };
    }
};

} // namespace

class TestCertificateHolder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void renewsAtSeventyPercentOfTheLifetime()
    {
        Mesh mesh;
        auto holder = std::move(*CertificateHolder::create(Web, mesh.issuer(), mesh.clock));
        const auto start = mesh.clock.now();
        const auto next = holder->poll();
        QVERIFY(holder->hasCertificate());
        // 100 s leaf backdated by 10 s: 110 s of validity, renewed 77 s after NotBefore.
        QCOMPARE(next, start - 10s + 77s);
        const auto firstSerial = holder->current().leaf.serialHex();

        mesh.clock.set(next - 1s);
        QCOMPARE(holder->poll(), next);
        QCOMPARE(mesh.calls, 1);
        QCOMPARE(holder->current().leaf.serialHex(), firstSerial);

        mesh.clock.set(next);
        holder->poll();
        QCOMPARE(mesh.calls, 2);
        QVERIFY(holder->current().leaf.serialHex() != firstSerial);
        QCOMPARE(holder->refreshCount(), std::int64_t(2));
        // Same key throughout: renewal re-signs the same request.
        QVERIFY(X509_check_private_key(holder->current().leaf.get(), holder->key().get()) == 1);
    }

    void neverRenewsSoonerThanTenSeconds()
    {
        Mesh mesh(2s);
        auto holder = std::move(*CertificateHolder::create(Web, mesh.issuer(), mesh.clock));
        const auto start = mesh.clock.now();
        QCOMPARE(holder->poll(), start + 10s);
    }

    void keepsItsCertificateWhileTheCaIsDownAndRetriesWithBackoff()
    {
        Mesh mesh;
        auto holder = std::move(*CertificateHolder::create(Web, mesh.issuer(), mesh.clock));
        mesh.clock.set(holder->poll());
        const auto serial = holder->current().leaf.serialHex();

        mesh.reachable = false;
        std::vector<std::chrono::milliseconds> waits;
        for (int i = 0; i < 8; ++i) {
            const auto now = mesh.clock.now();
            const auto next = holder->poll();
            waits.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(next - now));
            QVERIFY(holder->hasCertificate());
            QCOMPARE(holder->current().leaf.serialHex(), serial);
            mesh.clock.set(next);
        }
        QCOMPARE(holder->consecutiveFailures(), 8);
        QVERIFY(holder->lastError().find("CA unreachable") != std::string::npos);
        // Jittered exponential backoff: 1 s base doubling, each wait in [base/2, base], capped at
        // 60 s.
        for (std::size_t i = 0; i < waits.size(); ++i) {
            const double base = std::min(60.0, std::pow(2.0, static_cast<double>(i))) * 1000;
            QVERIFY2(waits[i].count() >= base / 2 && waits[i].count() <= base,
                     qPrintable(QString::number(waits[i].count())));
        }

        mesh.reachable = true;
        holder->poll();
        QCOMPARE(holder->consecutiveFailures(), 0);
        QVERIFY(holder->current().leaf.serialHex() != serial);
    }

    void refusesACertificateThatArrivesExpired()
    {
        Mesh mesh;
        // A CA whose clock is an hour behind hands out certificates that are dead on arrival.
        ManualClock lagging(mesh.clock.now() - 1h);
        QTemporaryDir otherDir;
        CaSettings settings;
        settings.leafLifetime = 100s;
        auto staleCa = std::move(
            *CertificateAuthority::openOrCreate(otherDir.path().toStdString(), settings, lagging));
        auto holder = std::move(*CertificateHolder::create(
            Web, [&](const std::string &csr) { return staleCa->issue(csr, Web); }, mesh.clock));
        holder->poll();
        QVERIFY(!holder->hasCertificate());
        QVERIFY2(holder->lastError().find("already expired") != std::string::npos,
                 holder->lastError().c_str());
    }

    void refusesACertificateForAnotherIdentity()
    {
        Mesh mesh;
        const SpiffeId other {"mesh.local", "shop", "admin"};
        auto holder = std::move(*CertificateHolder::create(
            Web,
            [&](const std::string &) {
                // A confused CA answering with someone else's certificate.
                return mesh.ca->issue(*createCsrPem(*PrivateKey::generateP256(), other), other);
            },
            mesh.clock));
        holder->poll();
        QVERIFY(!holder->hasCertificate());
        QVERIFY(holder->lastError().find("instead of") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestCertificateHolder)
#include "tst_certificate_holder.moc"
