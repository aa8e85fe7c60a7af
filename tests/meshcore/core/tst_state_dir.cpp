#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include "core/state_dir.h"

namespace fs = std::filesystem;

namespace {
unsigned modeOf(const fs::path &path)
{
    struct stat info {};
    ::stat(path.c_str(), &info);
    return info.st_mode & 0777;
}
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

    void createsPrivateDirectoryAndTightensAnOpenOne()
    {
        QTemporaryDir temp;
        const fs::path dir = fs::path(temp.path().toStdString()) / "a" / "b";
        QVERIFY(meshcore::ensurePrivateDir(dir));
        QCOMPARE(modeOf(dir), 0700u);
        ::chmod(dir.c_str(), 0755);
        QVERIFY(meshcore::ensurePrivateDir(dir));
        QCOMPARE(modeOf(dir), 0700u);
    }

    void refusesAFileWhereTheDirectoryShouldBe()
    {
        QTemporaryDir temp;
        const fs::path file = fs::path(temp.path().toStdString()) / "file";
        QVERIFY(meshcore::writeFileAtomically(file, "x", 0600));
        const auto result = meshcore::ensurePrivateDir(file);
        QVERIFY(!result);
        QVERIFY(result.error().message.find("not a directory") != std::string::npos);
    }

    void atomicWriteReplacesWholeFileWithModeAndLeavesNoTemp()
    {
        QTemporaryDir temp;
        const fs::path file = fs::path(temp.path().toStdString()) / "key.pem";
        QVERIFY(meshcore::writeFileAtomically(file, "first", 0600));
        QVERIFY(meshcore::writeFileAtomically(file, "second version", 0600));
        QCOMPARE(QString::fromStdString(*meshcore::readSmallFile(file)), QStringLiteral("second version"));
        QCOMPARE(modeOf(file), 0600u);
        int entries = 0;
        for ([[maybe_unused]] const auto &entry : fs::directory_iterator(temp.path().toStdString()))
            ++entries;
        QCOMPARE(entries, 1);
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
