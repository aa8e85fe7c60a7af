// The certificate checks against a real CA on a fake clock: an issuer aging past its warning
// threshold warns (and a rotation clears it), an expired one fails both checks. And the edit
// distance behind did-you-mean.
#include <QTemporaryDir>
#include <QTest>

#include "ca/certificate_authority.h"
#include "daemon/health_checks.h"
#include "telemetry/unknown_names.h"

using namespace meshcore;
using namespace std::chrono_literals;
using Status = daemon::CheckResult::Status;

namespace {
daemon::CheckResult find(const std::vector<daemon::CheckResult> &results, const std::string &name)
{
    for (const auto &r : results)
        if (r.name == name)
            return r;
    return {};
}
} // namespace

class TestHealthChecks : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void certificatesWarnNearExpiryClearOnRotationAndFailOnceExpired()
    {
        QTemporaryDir dir;
        ManualClock clock;
        ca::CaSettings settings;
        settings.issuerLifetime = std::chrono::hours(24 * 30);
        auto authority = std::move(
            *ca::CertificateAuthority::openOrCreate(dir.path().toStdString(), settings, clock));
        const daemon::CheckInputs inputs {authority.get(), nullptr, nullptr, &clock,
                                          std::nullopt,    {},      {},      nullptr};

        auto results = daemon::runChecks(inputs);
        QCOMPARE(find(results, "certificates").status, Status::Pass);
        QCOMPARE(find(results, "ca-can-issue").status, Status::Pass);

        // 25 of 30 days on: under a fifth of its life left, the issuer warns.
        clock.advance(std::chrono::hours(24 * 25));
        results = daemon::runChecks(inputs);
        const auto aging = find(results, "certificates");
        QCOMPARE(aging.status, Status::Warn);
        QVERIFY2(aging.message.find("issuer '") != std::string::npos
                     && aging.message.find("expires in 5d") != std::string::npos,
                 aging.message.c_str());
        QCOMPARE(aging.hint, std::string("meshd ca rotate-issuer"));

        // The hint, followed, clears it.
        QVERIFY(authority->rotateIssuer());
        QCOMPARE(find(daemon::runChecks(inputs), "certificates").status, Status::Pass);

        // Left alone past its end, the issuer fails both checks.
        clock.advance(std::chrono::hours(24 * 31));
        results = daemon::runChecks(inputs);
        QCOMPARE(find(results, "certificates").status, Status::Fail);
        QVERIFY(find(results, "certificates").message.find("expired") != std::string::npos);
        QCOMPARE(find(results, "ca-can-issue").status, Status::Fail);
    }

    void anUnknownDestinationWarnsForAMinuteThenClears()
    {
        telemetry::TrafficStats traffic;
        const auto t0 = std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000));
        auto &edge
            = traffic.edge({"frontend", "shop", "v1", "spiffe://mesh.local/ns/shop/sa/frontend",
                            "catalgo.shop", "", "", "", "default", false});
        for (int i = 0; i < 3; ++i)
            edge.record(t0, false, 0.2);
        const std::vector<std::string> known = {"catalog.shop", "cart.shop"};

        auto result = daemon::unknownDestinationCheck(known, traffic, t0 + 30s);
        QCOMPARE(result.status, Status::Warn);
        QVERIFY2(
            result.message.find(
                "frontend-v1 called 'catalgo.shop', which no service is (3 requests answered 503")
                != std::string::npos,
            result.message.c_str());
        QVERIFY2(result.hint.find("did you mean catalog.shop?") != std::string::npos,
                 result.hint.c_str());
        QCOMPARE(result.subjects, std::vector<std::string>({"catalgo.shop"}));
        // Nobody called it for a minute: the check passes again.
        QCOMPARE(daemon::unknownDestinationCheck(known, traffic, t0 + 59s).status, Status::Warn);
        QCOMPARE(daemon::unknownDestinationCheck(known, traffic, t0 + 61s).status, Status::Pass);
        // A meshed edge never counts.
        traffic.edge({"frontend", "shop", "v1", "", "catalog", "shop", "v1", "", "default", true})
            .record(t0 + 61s, true, 1);
        QCOMPARE(daemon::unknownDestinationCheck(known, traffic, t0 + 62s).status, Status::Pass);

        // The bucket of names beyond those kept by name is one warning, no guess at a service.
        traffic
            .edge({"local-client", "meshscope-local", "", "",
                   std::string(telemetry::UnknownNames::Other), "", "", "", "default", false})
            .record(t0 + 62s, false, 0.1);
        result = daemon::unknownDestinationCheck(known, traffic, t0 + 63s);
        QCOMPARE(result.status, Status::Warn);
        QVERIFY2(result.message.find("local-client called more names that no service has than "
                                     "meshd keeps by name (1 request answered 503")
                     != std::string::npos,
                 result.message.c_str());
        QVERIFY2(result.hint.find("meshd tap") != std::string::npos, result.hint.c_str());
    }

    void editDistanceFindsTypos()
    {
        QCOMPARE(daemon::editDistance("catalgo", "catalog"), std::size_t(2));
        QCOMPARE(daemon::editDistance("api", "apo"), std::size_t(1));
        QCOMPARE(daemon::editDistance("", "web"), std::size_t(3));
        QCOMPARE(daemon::editDistance("payments", "payments"), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestHealthChecks)
#include "tst_health_checks.moc"
