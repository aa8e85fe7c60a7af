#include <QTest>

#include <sys/resource.h>

#include "core/descriptor_limit.h"

class TestDescriptorLimit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theSoftLimitIsRaisedToTheHardOne()
    {
        rlimit saved {};
        QCOMPARE(::getrlimit(RLIMIT_NOFILE, &saved), 0);
        if (saved.rlim_max < 128)
            QSKIP("the hard limit is too low to lower the soft one");
        const rlimit lowered {64, saved.rlim_max};
        QCOMPARE(::setrlimit(RLIMIT_NOFILE, &lowered), 0);
        QCOMPARE(meshcore::descriptorLimit(), std::uint64_t(64));
        const auto change = meshcore::raiseDescriptorLimit();
        QCOMPARE(change.before, std::uint64_t(64));
        QCOMPARE(change.now, std::uint64_t(saved.rlim_max));
        QCOMPARE(meshcore::descriptorLimit(), std::uint64_t(saved.rlim_max));
        const auto again = meshcore::raiseDescriptorLimit();
        QCOMPARE(again.before, again.now);
        ::setrlimit(RLIMIT_NOFILE, &saved);
    }

    void theLastDescriptorsAreLeftForTheAdminApi()
    {
        QVERIFY(!meshcore::leavesTooFewDescriptors(200, 256));
        QVERIFY(meshcore::leavesTooFewDescriptors(240, 256)); // 16 left
        QVERIFY(!meshcore::leavesTooFewDescriptors(959, 1024));
        QVERIFY(meshcore::leavesTooFewDescriptors(960, 1024)); // 64 left, at most
        QVERIFY(!meshcore::leavesTooFewDescriptors(1'000'000, 1'048'576));
        QVERIFY(meshcore::leavesTooFewDescriptors(56, 64)); // 8 left, at least
        QVERIFY(!meshcore::leavesTooFewDescriptors(7, 8)); // too small a limit to keep any
    }
};

QTEST_APPLESS_MAIN(TestDescriptorLimit)
#include "tst_descriptor_limit.moc"
