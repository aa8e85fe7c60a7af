#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include "admin/admin_token.h"
#include "core/state_dir.h"

namespace fs = std::filesystem;

class TestAdminToken : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void createsA0600TokenAndKeepsItAcrossRestarts()
    {
        QTemporaryDir temp;
        const fs::path dir = temp.path().toStdString();
        const auto first = meshcore::admin::loadOrCreateAdminToken(dir);
        QVERIFY(first);
        QCOMPARE(first->size(), std::size_t(64));
        struct stat info { };
        QCOMPARE(::stat((dir / "admin.token").c_str(), &info), 0);
        QCOMPARE(info.st_mode & 0777, 0600u);
        const auto second = meshcore::admin::loadOrCreateAdminToken(dir);
        QVERIFY(second);
        QCOMPARE(*second, *first);
        QCOMPARE(*meshcore::admin::readAdminToken(dir), *first);
    }

    void tokensDifferBetweenStateDirectories()
    {
        QTemporaryDir a;
        QTemporaryDir b;
        QVERIFY(*meshcore::admin::loadOrCreateAdminToken(a.path().toStdString())
                != *meshcore::admin::loadOrCreateAdminToken(b.path().toStdString()));
    }

    void refusesATokenOthersCanRead()
    {
        QTemporaryDir temp;
        const fs::path dir = temp.path().toStdString();
        QVERIFY(meshcore::admin::loadOrCreateAdminToken(dir));
        ::chmod((dir / "admin.token").c_str(), 0644);
        const auto token = meshcore::admin::loadOrCreateAdminToken(dir);
        QVERIFY(!token);
        QCOMPARE(token.error().code, meshcore::ErrorCode::PermissionDenied);
        QVERIFY(token.error().message.find("chmod 600") != std::string::npos);
    }

    // A token planted in advance by someone who knows it must not stay in force.
    void refusesATokenOfAnotherUser()
    {
        QTemporaryDir temp;
        const fs::path dir = temp.path().toStdString();
        const std::string known(64, 'a');
        QVERIFY(meshcore::writeFileAtomically(dir / "admin.token", known + "\n", 0600));
        if (::chown((dir / "admin.token").c_str(), 65534, static_cast<gid_t>(-1)) != 0)
            QSKIP("needs root, to give the token file to another user");
        for (const auto &token :
             {meshcore::admin::loadOrCreateAdminToken(dir), meshcore::admin::readAdminToken(dir)}) {
            QVERIFY(!token);
            QCOMPARE(token.error().code, meshcore::ErrorCode::PermissionDenied);
            QVERIFY2(token.error().message.find("is owned by uid 65534, not you")
                         != std::string::npos,
                     token.error().message.c_str());
        }
    }

    void refusesATokenThatIsALink()
    {
        QTemporaryDir temp;
        const fs::path dir = temp.path().toStdString();
        QVERIFY(
            meshcore::writeFileAtomically(dir / "elsewhere", std::string(64, 'b') + "\n", 0600));
        fs::create_symlink(dir / "elsewhere", dir / "admin.token");
        for (const auto &token :
             {meshcore::admin::loadOrCreateAdminToken(dir), meshcore::admin::readAdminToken(dir)}) {
            QVERIFY(!token);
            QVERIFY2(token.error().message.find("is a symbolic link") != std::string::npos,
                     token.error().message.c_str());
        }
        QCOMPARE(*meshcore::readSmallFile(dir / "elsewhere"), std::string(64, 'b') + "\n");
    }

    void reportsGarbageAndMissingTokens()
    {
        QTemporaryDir temp;
        const fs::path dir = temp.path().toStdString();
        const auto missing = meshcore::admin::readAdminToken(dir);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, meshcore::ErrorCode::NotFound);
        QVERIFY(meshcore::writeFileAtomically(dir / "admin.token", "not a token", 0600));
        const auto garbage = meshcore::admin::loadOrCreateAdminToken(dir);
        QVERIFY(!garbage);
        QVERIFY(garbage.error().message.find("does not hold an admin token") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestAdminToken)
#include "tst_admin_token.moc"
