// The bound on unknown names: the first ones keep their names, later ones and names that are no
// host names share the "other" bucket.
#include <QTest>

#include "telemetry/unknown_names.h"

using meshcore::telemetry::UnknownNames;

class TestUnknownNames : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theFirstNamesAreKeptTheRestShareOther()
    {
        UnknownNames names;
        for (std::size_t i = 0; i < UnknownNames::MaxNames; ++i) {
            const auto name = "name-" + std::to_string(i) + ".example";
            QCOMPARE(names.admit(name), name);
        }
        QCOMPARE(names.admit("one-too-many.example"), std::string(UnknownNames::Other));
        QCOMPARE(names.admit("name-7.example"), std::string("name-7.example")); // still kept
        QCOMPARE(names.size(), UnknownNames::MaxNames);
    }

    void namesThatAreNoHostNamesGoToOther()
    {
        UnknownNames names;
        QCOMPARE(names.admit(std::string(UnknownNames::MaxNameLength + 1, 'a')),
                 std::string(UnknownNames::Other));
        QCOMPARE(names.admit("a b"), std::string(UnknownNames::Other));
        QCOMPARE(names.admit("caf\xc3\xa9"), std::string(UnknownNames::Other));
        QCOMPARE(names.admit(""), std::string(UnknownNames::Other));
        QCOMPARE(names.admit(UnknownNames::Other), std::string(UnknownNames::Other));
        QCOMPARE(names.size(), std::size_t(0)); // none took a place
        QCOMPARE(names.admit("[::1]"), std::string("[::1]"));
        QCOMPARE(names.admit("catalgo.shop"), std::string("catalgo.shop"));
    }
};

QTEST_GUILESS_MAIN(TestUnknownNames)
#include "tst_unknown_names.moc"
