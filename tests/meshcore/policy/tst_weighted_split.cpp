// Smooth weighted round robin: exact shares, interleaved, weight changes applied at once, and
// choices that cannot take traffic skipped.
#include <QTest>

#include "policy/weighted_split.h"

using meshcore::policy::WeightedSplit;

namespace {
std::vector<int> counts(
    WeightedSplit &split, int picks,
    const std::function<bool(std::size_t)> &usable = [](std::size_t) { return true; })
{
    std::vector<int> out(split.weights().size(), 0);
    for (int i = 0; i < picks; ++i)
        if (const auto chosen = split.next(usable))
            ++out[*chosen];
    return out;
}
} // namespace

class TestWeightedSplit : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void ninetyTenIsExact()
    {
        WeightedSplit split({90, 10});
        QCOMPARE(counts(split, 10000), (std::vector<int> {9000, 1000}));
    }

    void choicesAreInterleavedNotBursts()
    {
        WeightedSplit split({1, 1, 2});
        std::vector<std::size_t> order;
        for (int i = 0; i < 8; ++i)
            order.push_back(*split.next([](std::size_t) { return true; }));
        // Never the same choice three times running, and every window of 4 has the right mix.
        for (std::size_t i = 0; i + 4 <= order.size(); i += 4)
            QCOMPARE(std::count(order.begin() + static_cast<long>(i),
                                order.begin() + static_cast<long>(i) + 4, std::size_t(2)),
                     2L);
    }

    void newWeightsApplyAtOnce()
    {
        WeightedSplit split({100, 0});
        QCOMPARE(counts(split, 100), (std::vector<int> {100, 0}));
        split.setWeights({50, 50});
        QCOMPARE(counts(split, 100), (std::vector<int> {50, 50}));
    }

    void unusableChoicesAreSkippedAndNothingIsUsableMeansNone()
    {
        WeightedSplit split({90, 10});
        QCOMPARE(counts(split, 100, [](std::size_t i) { return i == 1; }),
                 (std::vector<int> {0, 100}));
        QVERIFY(!split.next([](std::size_t) { return false; }));
        WeightedSplit zero({0, 0});
        QVERIFY(!zero.next([](std::size_t) { return true; }));
    }
};

QTEST_GUILESS_MAIN(TestWeightedSplit)
#include "tst_weighted_split.moc"
