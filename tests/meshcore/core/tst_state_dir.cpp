#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/private_path.h"
#include "core/state_dir.h"

namespace fs = std::filesystem;

namespace {
unsigned modeOf(const fs::path &path)
{
    struct stat info { };
    ::lstat(path.c_str(), &info);
    return info.st_mode & 0777;
}

template <typename T> bool contains(const meshcore::Result<T> &result, const std::string &text)
{
    if (result)
        qWarning("no error, expected one with \"%s\"", text.c_str());
    else if (result.error().message.find(text) == std::string::npos)
        qWarning("\"%s\" does not say \"%s\"", result.error().message.c_str(), text.c_str());
    return !result && result.error().message.find(text) != std::string::npos;
}

// Another user to own planted files: uid 65534 (nobody). Only root can give a file away; the
// tests that need it skip elsewhere.
constexpr uid_t Nobody = 65534;
bool giveAway(const fs::path &path)
{
    return ::lchown(path.c_str(), Nobody, static_cast<gid_t>(-1)) == 0;
}

// What meshd leaves in a state directory, made by hand: token, lock files, CA, logs.
struct Layout {
    QTemporaryDir temp;
    fs::path dir = fs::path(temp.path().toStdString()) / "state";
    fs::path elsewhere = fs::path(temp.path().toStdString()) / "elsewhere";
    Layout()
    {
        fs::create_directories(dir / "ca");
        fs::create_directories(dir / "logs");
        fs::create_directories(elsewhere);
        ::chmod(dir.c_str(), 0700);
        ::chmod((dir / "ca").c_str(), 0700);
        ::chmod((dir / "logs").c_str(), 0700);
        for (const char *file : {"admin.token", "meshd.lock", "ca/ca.json", "ca/ca.lock",
                                 "ca/issued.json", "logs/web-v1-0.log"})
            (void)meshcore::writeFileAtomically(dir / file, "x", 0600);
        (void)meshcore::writeFileAtomically(dir / "ca/trust-bundle.pem", "certificates", 0644);
        (void)meshcore::writeFileAtomically(elsewhere / "target", "x", 0600);
    }
    // Replaces `name` with a symbolic link to a file or directory elsewhere.
    void link(const std::string &name)
    {
        fs::remove_all(dir / name);
        fs::create_symlink(fs::is_directory(elsewhere / name) ? elsewhere / name
                                                              : elsewhere / "target",
                           dir / name);
    }
};
} // namespace

class TestStateDir : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultFollowsXdgStateHome()
    {
        qputenv("XDG_STATE_HOME", "/somewhere/state");
        QCOMPARE(QString::fromStdString(meshcore::defaultStateDir().string()),
                 QStringLiteral("/somewhere/state/meshscope"));
        qunsetenv("XDG_STATE_HOME");
        qputenv("HOME", "/home/ada");
        QCOMPARE(QString::fromStdString(meshcore::defaultStateDir().string()),
                 QStringLiteral("/home/ada/.local/state/meshscope"));
    }

    void createsAPrivateDirectoryWithItsParents()
    {
        QTemporaryDir temp;
        const fs::path dir = fs::path(temp.path().toStdString()) / "a" / "b";
        QVERIFY(meshcore::ensurePrivateDir(dir));
        QCOMPARE(modeOf(dir), 0700u);
        QVERIFY(meshcore::ensurePrivateDir(dir)); // and accepts it again
    }

    void refusesADirectoryOpenToOthersAndLeavesItAlone_data()
    {
        QTest::addColumn<unsigned>("mode");
        QTest::addColumn<QString>("shown");
        QTest::newRow("0755") << 0755u << "0755";
        QTest::newRow("0750") << 0750u << "0750";
        QTest::newRow("0701") << 0701u << "0701";
        QTest::newRow("0777") << 0777u << "0777";
    }
    void refusesADirectoryOpenToOthersAndLeavesItAlone()
    {
        QFETCH(unsigned, mode);
        QFETCH(QString, shown);
        QTemporaryDir temp;
        const fs::path dir = fs::path(temp.path().toStdString()) / "state";
        QVERIFY(meshcore::ensurePrivateDir(dir));
        ::chmod(dir.c_str(), mode);
        const auto result = meshcore::ensurePrivateDir(dir, "state directory");
        QVERIFY(contains(result,
                         "permissions " + shown.toStdString() + " for state directory "
                             + dir.string() + " are too open: chmod 700 " + dir.string()));
        QCOMPARE(result.error().code, meshcore::ErrorCode::PermissionDenied);
        QCOMPARE(modeOf(dir), mode); // not quietly "fixed": someone may have been in it
    }

    void refusesADirectoryOfAnotherUser()
    {
        QTemporaryDir temp;
        const fs::path dir = fs::path(temp.path().toStdString()) / "state";
        QVERIFY(meshcore::ensurePrivateDir(dir));
        if (!giveAway(dir))
            QSKIP("needs root, to give a directory to another user");
        QVERIFY(contains(meshcore::ensurePrivateDir(dir, "state directory"),
                         "state directory " + dir.string() + " is owned by uid 65534, not you (uid "
                             + std::to_string(::geteuid()) + "): remove it or chown it"));
    }

    void refusesASymbolicLinkAndCreatesNothingThroughIt()
    {
        QTemporaryDir temp;
        const fs::path root = temp.path().toStdString();
        fs::create_directory(root / "real");
        ::chmod((root / "real").c_str(), 0700);
        fs::create_directory_symlink(root / "real", root / "link");
        QVERIFY(contains(meshcore::ensurePrivateDir(root / "link", "state directory"),
                         "state directory " + (root / "link").string() + " is a symbolic link"));
        // A dangling one is not made real through the link either.
        fs::create_directory_symlink(root / "planted", root / "dangling");
        QVERIFY(contains(meshcore::ensurePrivateDir(root / "dangling"), "is a symbolic link"));
        QVERIFY(!fs::exists(root / "planted"));
    }

    void refusesAFileWhereTheDirectoryShouldBe()
    {
        QTemporaryDir temp;
        const fs::path file = fs::path(temp.path().toStdString()) / "file";
        QVERIFY(meshcore::writeFileAtomically(file, "x", 0600));
        QVERIFY(contains(meshcore::ensurePrivateDir(file), "not a directory"));
    }

    void acceptsWhatMeshdLeaves()
    {
        Layout layout;
        QVERIFY(meshcore::checkStateDirContents(layout.dir));
        QVERIFY(meshcore::checkStateDirContents(layout.dir / "missing-is-fine"));
    }

    void refusesWhatSomeoneCouldHavePlanted_data()
    {
        QTest::addColumn<QString>("entry");
        QTest::addColumn<QString>("plant");
        QTest::addColumn<QString>("said");
        QTest::newRow("ca is a link") << "ca"
                                      << "link"
                                      << "%1/ca is a symbolic link";
        QTest::newRow("token is a link") << "admin.token"
                                         << "link"
                                         << "%1/admin.token is a symbolic link";
        QTest::newRow("lock is a link") << "meshd.lock"
                                        << "link"
                                        << "%1/meshd.lock is a symbolic link";
        QTest::newRow("CA file is a link") << "ca/ca.json"
                                           << "link"
                                           << "%1/ca/ca.json is a symbolic link";
        QTest::newRow("log is a link") << "logs/web-v1-0.log"
                                       << "link"
                                       << "%1/logs/web-v1-0.log is a symbolic link";
        QTest::newRow("token of another user") << "admin.token"
                                               << "give away"
                                               << "%1/admin.token is owned by uid 65534";
        QTest::newRow("ca of another user") << "ca"
                                            << "give away"
                                            << "%1/ca is owned by uid 65534";
        QTest::newRow("CA lock of another user") << "ca/ca.lock"
                                                 << "give away"
                                                 << "%1/ca/ca.lock is owned by uid 65534";
        QTest::newRow("token others can read")
            << "admin.token"
            << "0640"
            << "permissions 0640 for %1/admin.token are too open: chmod 600 %1/admin.token";
        QTest::newRow("ca others can enter")
            << "ca"
            << "0711"
            << "permissions 0711 for %1/ca are too open: chmod 700 %1/ca";
        QTest::newRow("CA file others can read") << "ca/ca.json"
                                                 << "0604"
                                                 << "permissions 0604 for %1/ca/ca.json";
        QTest::newRow("bundle others can write")
            << "ca/trust-bundle.pem"
            << "0664"
            << "permissions 0664 for %1/ca/trust-bundle.pem are too open: chmod 644";
        QTest::newRow("logs others can write") << "logs"
                                               << "0777"
                                               << "permissions 0777 for %1/logs";
        QTest::newRow("a directory for the token")
            << "admin.token"
            << "directory"
            << "%1/admin.token exists but is not a regular file";
    }
    void refusesWhatSomeoneCouldHavePlanted()
    {
        QFETCH(QString, entry);
        QFETCH(QString, plant);
        QFETCH(QString, said);
        Layout layout;
        const fs::path path = layout.dir / entry.toStdString();
        if (plant == "link") {
            if (entry == "ca")
                fs::create_directory(layout.elsewhere / "ca");
            layout.link(entry.toStdString());
        } else if (plant == "give away") {
            if (!giveAway(path))
                QSKIP("needs root, to give a file to another user");
        } else if (plant == "directory") {
            fs::remove(path);
            fs::create_directory(path);
            ::chmod(path.c_str(), 0700);
        } else {
            ::chmod(path.c_str(), plant.toUInt(nullptr, 8));
        }
        QVERIFY(contains(meshcore::checkStateDirContents(layout.dir),
                         said.arg(QString::fromStdString(layout.dir.string())).toStdString()));
    }

    void theBundleMayBeReadByOthersAndOldLogsAreTightened()
    {
        Layout layout;
        ::chmod((layout.dir / "logs").c_str(), 0755); // as earlier versions made it
        QVERIFY(meshcore::checkStateDirContents(layout.dir));
        QCOMPARE(modeOf(layout.dir / "logs"), 0700u);
        QCOMPARE(modeOf(layout.dir / "ca/trust-bundle.pem"), 0644u);
    }

    void privateFilesAreNeverReadThroughALinkOrAFifo()
    {
        Layout layout;
        const fs::path token = layout.dir / "admin.token";
        QCOMPARE(*meshcore::readPrivateFile(token, 100), std::string("x"));
        layout.link("admin.token");
        QVERIFY(contains(meshcore::readPrivateFile(token, 100), "is a symbolic link"));
        fs::remove(token);
        QCOMPARE(meshcore::readPrivateFile(token, 100).error().code, meshcore::ErrorCode::NotFound);
        // A FIFO in its place: refused at once, not waited on.
        QCOMPARE(::mkfifo(token.c_str(), 0600), 0);
        QVERIFY(contains(meshcore::readPrivateFile(token, 100), "is not a regular file"));
        // A lock file created through openPrivateFile is the user's, 0600.
        const auto lock = meshcore::openPrivateFile(layout.dir / "new.lock", O_RDWR | O_CREAT);
        QVERIFY(lock);
        ::close(*lock);
        QCOMPARE(modeOf(layout.dir / "new.lock"), 0600u);
    }

    void staleTemporaryFilesAreRemovedAndNothingElse()
    {
        Layout layout;
        const fs::path ca = layout.dir / "ca";
        for (const char *stale : {".ca.json.tmp-4242-123456789", ".issued.json.tmp-1-2"})
            QVERIFY(meshcore::writeFileAtomically(ca / stale, "{\"key\": \"secret\"}", 0600));
        fs::create_symlink(layout.elsewhere / "target", ca / ".trust-bundle.pem.tmp-7-8");
        const char *kept[]
            = {"ca.json", ".hidden", "x.tmp-1-2", ".x.tmp-12-abc", ".tmp-1-2", ".dir.tmp-3-4"};
        fs::create_directory(ca / ".dir.tmp-3-4");
        for (const char *name : {".hidden", "x.tmp-1-2", ".x.tmp-12-abc", ".tmp-1-2"})
            QVERIFY(meshcore::writeFileAtomically(ca / name, "x", 0600));
        QCOMPARE(meshcore::removeStaleTempFiles(ca), std::size_t(3));
        for (const char *name : kept)
            QVERIFY2(fs::exists(fs::symlink_status(ca / name)), name);
        QVERIFY(!fs::exists(fs::symlink_status(ca / ".ca.json.tmp-4242-123456789")));
        QVERIFY(!fs::exists(fs::symlink_status(ca / ".trust-bundle.pem.tmp-7-8")));
        QVERIFY(fs::exists(layout.elsewhere / "target")); // a link goes, not what it points to
        // The stale files did not stop the check either (they are skipped there).
        QVERIFY(meshcore::isAtomicWriteTemp(".admin.token.tmp-12-34"));
        QVERIFY(!meshcore::isAtomicWriteTemp(".admin.token.tmp-12-"));
    }

    void atomicWriteReplacesWholeFileWithModeAndLeavesNoTemp()
    {
        QTemporaryDir temp;
        const fs::path file = fs::path(temp.path().toStdString()) / "key.pem";
        QVERIFY(meshcore::writeFileAtomically(file, "first", 0600));
        QVERIFY(meshcore::writeFileAtomically(file, "second version", 0600));
        QCOMPARE(QString::fromStdString(*meshcore::readSmallFile(file)),
                 QStringLiteral("second version"));
        QCOMPARE(modeOf(file), 0600u);
        int entries = 0;
        for ([[maybe_unused]] const auto &entry : fs::directory_iterator(temp.path().toStdString()))
            ++entries;
        QCOMPARE(entries, 1);
    }

    void atomicWriteReplacesALinkRatherThanWritingThroughIt()
    {
        QTemporaryDir temp;
        const fs::path root = temp.path().toStdString();
        QVERIFY(meshcore::writeFileAtomically(root / "target", "theirs", 0644));
        fs::create_symlink(root / "target", root / "ca.json");
        QVERIFY(meshcore::writeFileAtomically(root / "ca.json", "keys", 0600));
        QCOMPARE(*meshcore::readSmallFile(root / "target"), std::string("theirs"));
        QVERIFY(!fs::is_symlink(root / "ca.json"));
    }

    void atomicWriteReportsAMissingDirectory()
    {
        const auto result = meshcore::writeFileAtomically("/nonexistent-dir/x", "data", 0600);
        QVERIFY(!result);
        QCOMPARE(result.error().code, meshcore::ErrorCode::NotFound);
        QVERIFY(result.error().message.find("/nonexistent-dir") != std::string::npos);
    }

    void readRefusesOversizedFiles()
    {
        QTemporaryDir temp;
        const fs::path file = fs::path(temp.path().toStdString()) / "big";
        QVERIFY(meshcore::writeFileAtomically(file, std::string(100, 'x'), 0600));
        QVERIFY(!meshcore::readSmallFile(file, 10));
        QVERIFY(meshcore::readSmallFile(file, 100));
    }
};

QTEST_APPLESS_MAIN(TestStateDir)
#include "tst_state_dir.moc"
