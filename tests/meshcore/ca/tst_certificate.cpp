#include <QTest>

#include "ca/certificate.h"
#include "ca/certificate_signer.h"
#include "ca/private_key.h"

using namespace meshcore::ca;
using namespace std::chrono_literals;

namespace {

struct Made {
    Certificate anchor;
    Certificate leaf;
};

Made makeAnchorAndLeaf()
{
    const auto now = std::chrono::system_clock::now();
    const auto anchorKey = *PrivateKey::generateP256();
    CertificateSpec anchorSpec {
        CertificateSpec::Kind::TrustAnchor, "test anchor", {}, now - 10s, now + 24h};
    const auto anchor = *signCertificate(anchorKey.get(), anchorSpec, std::nullopt, anchorKey);
    const auto leafKey = *PrivateKey::generateP256();
    CertificateSpec leafSpec {
        CertificateSpec::Kind::Workload, {}, "spiffe://mesh.local/ns/a/sa/b", now - 10s, now + 1h};
    const auto leaf = *signCertificate(leafKey.get(), leafSpec, anchor, anchorKey);
    return {anchor, leaf};
}

std::string replaceAll(std::string text, const std::string &from, const std::string &to)
{
    for (std::size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

} // namespace

class TestCertificate : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsBackWhatItWrote()
    {
        const auto made = makeAnchorAndLeaf();
        const auto again = Certificate::fromPem(made.leaf.toPem());
        QVERIFY(again);
        QVERIFY(again->sameAs(made.leaf));
        QCOMPARE(again->identity(), std::string("spiffe://mesh.local/ns/a/sa/b"));
        QCOMPARE(again->allSans().size(), std::size_t(1));
        QVERIFY(!again->isCa());
        QVERIFY(made.anchor.isCa());
        QVERIFY(made.anchor.isSelfSigned());
        QCOMPARE(made.anchor.subjectCommonName(), std::string("test anchor"));
        QCOMPARE(made.leaf.serialHex().size(), std::size_t(32));
    }

    void bundlesWithCrlfAndTrailingWhitespaceLoadWhole()
    {
        const auto a = makeAnchorAndLeaf().anchor;
        const auto b = makeAnchorAndLeaf().anchor;
        std::string pem = a.toPem() + "\n\n" + b.toPem();
        pem = replaceAll(pem, "\n", "  \t\r\n");
        const auto bundle = parseTrustBundle(pem, "bundle.pem");
        QVERIFY2(bundle, bundle ? "" : bundle.error().message.c_str());
        QCOMPARE(bundle->size(), std::size_t(2));
        QVERIFY((*bundle)[0].sameAs(a));
        QVERIFY((*bundle)[1].sameAs(b));
    }

    void explanatoryTextBetweenBlocksIsAllowed()
    {
        const auto a = makeAnchorAndLeaf().anchor;
        const auto bundle
            = parseTrustBundle("subject=CN = test anchor\n" + a.toPem() + "# end\n", "bundle.pem");
        QVERIFY(bundle);
        QCOMPARE(bundle->size(), std::size_t(1));
    }

    void aNonCaCertificateIsNoTrustAnchor()
    {
        const auto made = makeAnchorAndLeaf();
        const auto bundle = parseTrustBundle(made.anchor.toPem() + made.leaf.toPem(), "bundle.pem");
        QVERIFY(!bundle);
        const QString message = QString::fromStdString(bundle.error().message);
        QVERIFY2(message.contains("certificate 2") && message.contains("not a CA certificate")
                     && message.contains("spiffe://mesh.local/ns/a/sa/b"),
                 qPrintable(message));
    }

    void damagedBundlesFailWholeNamingTheBlock_data()
    {
        QTest::addColumn<QString>("mangle");
        QTest::addColumn<QString>("expected");
        QTest::newRow("missing END") << "drop-end"
                                     << "certificate 2 has no END line";
        QTest::newRow("corrupt base64") << "corrupt"
                                        << "certificate 2 is damaged";
        QTest::newRow("private key inside") << "key"
                                            << "only CERTIFICATE blocks belong here";
        QTest::newRow("empty") << "empty"
                               << "no certificate found";
    }
    void damagedBundlesFailWholeNamingTheBlock()
    {
        QFETCH(QString, mangle);
        QFETCH(QString, expected);
        const auto a = makeAnchorAndLeaf().anchor.toPem();
        std::string b = makeAnchorAndLeaf().anchor.toPem();
        std::string pem;
        if (mangle == "drop-end")
            pem = a + replaceAll(b, "-----END CERTIFICATE-----\n", "");
        else if (mangle == "corrupt")
            pem = a + b.substr(0, 40) + "!!!!" + b.substr(44);
        else if (mangle == "key")
            pem = a + PrivateKey::generateP256()->toPem();
        else
            pem = "\n \n";
        const auto bundle = parseTrustBundle(pem, "bundle.pem");
        QVERIFY(!bundle);
        QVERIFY2(QString::fromStdString(bundle.error().message).contains(expected),
                 bundle.error().message.c_str());
        QVERIFY(bundle.error().message.starts_with("bundle.pem"));
    }

    void keysRoundTripAndOnlyP256IsAccepted()
    {
        const auto key = *PrivateKey::generateP256();
        QVERIFY(isP256Key(key.get()));
        const auto again = PrivateKey::fromPem(key.toPem());
        QVERIFY(again);
        QCOMPARE(again->toPem(), key.toPem());
        EVP_PKEY *rsa = EVP_RSA_gen(2048);
        QVERIFY(!isP256Key(rsa));
        EVP_PKEY_free(rsa);
        EVP_PKEY *p384 = EVP_EC_gen("P-384");
        QVERIFY(!isP256Key(p384));
        EVP_PKEY_free(p384);
    }
};

QTEST_APPLESS_MAIN(TestCertificate)
#include "tst_certificate.moc"
