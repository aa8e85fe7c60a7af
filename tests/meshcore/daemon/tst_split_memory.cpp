// The splits set at run time and kept in the state directory: the restore rule (a remembered split
// comes back only while mesh.yaml still has the split recorded with it), splits.json both ways,
// and SplitMemory over a real data plane (restore, drop, a broken file moved aside, a directory
// it cannot write to).
#include <QTest>

#include <fstream>

#include "ca/certificate_authority.h"
#include "core/state_dir.h"
#include "daemon/data_plane.h"
#include "daemon/split_memory.h"
#include "proxy/workers.h"
#include "tests/support/temp_state.h"

using namespace meshcore;
using meshcore::control::BackendWeight;
using meshcore::daemon::RememberedSplit;
using meshscope::testing::TempState;

namespace {

// api.shop with v1 and v2 (one replica each, on ports nobody listens to), and `split` as its
// split: line (empty: none).
control::MeshConfig meshWith(const std::string &split, bool third = false)
{
    std::string yaml = "mesh: {name: shop}\nservices:\n"
                       "  - name: api\n    namespace: shop\n"
                       "    versions: [{name: v1, replicas: [{port: 1}]}, "
                       "{name: v2, replicas: [{port: 2}]}";
    yaml += third ? ", {name: v3, replicas: [{port: 3}]}]\n" : "]\n";
    if (!split.empty())
        yaml += "    split: " + split + "\n";
    auto config = control::parseMeshConfig(yaml, "mesh.yaml");
    if (!config)
        qFatal("%s", config.error().message.c_str());
    return *config;
}

RememberedSplit apiAt(std::vector<BackendWeight> split, std::vector<BackendWeight> fileSplit)
{
    RememberedSplit remembered;
    remembered.service = "api";
    remembered.ns = "shop";
    remembered.split = std::move(split);
    remembered.fileSplit = std::move(fileSplit);
    remembered.by = "the admin API";
    remembered.setUnix = 1700000000;
    return remembered;
}

const std::vector<BackendWeight> NinetyTen = {{"v1", 90}, {"v2", 10}};
const std::vector<BackendWeight> FiftyFifty = {{"v1", 50}, {"v2", 50}};
const std::vector<BackendWeight> EightyTwenty = {{"v1", 80}, {"v2", 20}};

// A real data plane (CA, sidecars on loopback) for `config`, and the events SplitMemory reports.
struct Plane {
    TempState state;
    ManualClock clock;
    std::unique_ptr<ca::CertificateAuthority> authority;
    proxy::Workers workers {1};
    std::unique_ptr<daemon::DataPlane> dataPlane;
    std::vector<std::string> events;

    explicit Plane(const control::MeshConfig &config)
    {
        if (auto made = ensurePrivateDir(state.stateDir()); !made)
            qFatal("%s", made.error().message.c_str());
        auto opened = ca::CertificateAuthority::openOrCreate(state.stateDir(), {}, clock);
        if (!opened)
            qFatal("%s", opened.error().message.c_str());
        authority = std::move(*opened);
        auto plane
            = daemon::DataPlane::create(config, *authority, workers, {"127.0.0.1", 0}, clock);
        if (!plane)
            qFatal("%s", plane.error().message.c_str());
        dataPlane = std::move(*plane);
    }
    ~Plane() { dataPlane->stop(); }
    std::filesystem::path file() const { return state.stateDir() / "splits.json"; }
    daemon::SplitMemory memory()
    {
        return daemon::SplitMemory(
            *dataPlane, clock, file(),
            [this](const std::string &, const std::string &message) { events.push_back(message); });
    }
    std::vector<BackendWeight> split() const
    {
        return dataPlane->findDestination("api.shop")->balancer->split();
    }
    bool said(const std::string &part) const
    {
        return std::any_of(events.begin(), events.end(),
                           [&](const auto &e) { return e.find(part) != std::string::npos; });
    }
};

void writeText(const std::filesystem::path &path, const std::string &text)
{
    std::ofstream(path) << text;
}

} // namespace

class TestSplitMemory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // NOLINTNEXTLINE(readability-identifier-naming): QtTest finds a test's data by this name
    void theRestoreRule_data()
    {
        QTest::addColumn<QString>("fileSplitThen");
        QTest::addColumn<QString>("fileSplitNow");
        QTest::addColumn<QString>("why"); // empty: restored
        QTest::newRow("no split then, none now") << ""
                                                 << ""
                                                 << "";
        QTest::newRow("the same split") << "90/10"
                                        << "90/10"
                                        << "";
        QTest::newRow("a split added") << ""
                                       << "90/10"
                                       << "changed its split (from none";
        QTest::newRow("a split edited") << "90/10"
                                        << "50/50"
                                        << "to v1=50 v2=50";
        QTest::newRow("a split removed") << "90/10"
                                         << ""
                                         << "from v1=90 v2=10 to none";
        QTest::newRow("the service removed") << ""
                                             << "gone"
                                             << "no longer has api.shop";
    }
    void theRestoreRule()
    {
        QFETCH(QString, fileSplitThen);
        QFETCH(QString, fileSplitNow);
        QFETCH(QString, why);
        const auto weights = [](const QString &text) {
            return text == "90/10" ? NinetyTen
                : text == "50/50"  ? FiftyFifty
                                   : std::vector<BackendWeight> {};
        };
        auto config = meshWith(fileSplitNow == "90/10"       ? "[{version: v1, weight: 90}, "
                                                               "{version: v2, weight: 10}]"
                                   : fileSplitNow == "50/50" ? "[{version: v1, weight: 50}, "
                                                               "{version: v2, weight: 50}]"
                                                             : "");
        if (fileSplitNow == "gone")
            config.services.clear();
        const auto verdict
            = daemon::whyNotRestored(apiAt(EightyTwenty, weights(fileSplitThen)), config);
        if (why.isEmpty())
            QVERIFY2(!verdict, verdict ? verdict->c_str() : "");
        else
            QVERIFY2(verdict && QString::fromStdString(*verdict).contains(why),
                     verdict ? verdict->c_str() : "restored");
    }

    void theFileRoundTripsAndRefusesWhatItIsNot()
    {
        const std::vector<RememberedSplit> splits
            = {apiAt(EightyTwenty, NinetyTen), apiAt(FiftyFifty, {})};
        const auto text = daemon::rememberedSplitsText(splits);
        QVERIFY(text.find("\"format\": 1") != std::string::npos);
        QCOMPARE(*daemon::rememberedSplitsFromText(text), splits);
        QVERIFY(!daemon::rememberedSplitsFromText("not json"));
        QVERIFY(!daemon::rememberedSplitsFromText(R"({"format": 2, "splits": []})"));
        QVERIFY(!daemon::rememberedSplitsFromText(R"({"format": 1, "splits": [{"service": 1}]})"));
    }

    void aRememberedSplitComesBackWhileTheFileKeepsItsSplit()
    {
        const auto config = meshWith("[{version: v1, weight: 90}, {version: v2, weight: 10}]");
        {
            Plane plane(config);
            auto memory = plane.memory();
            memory.restore(); // nothing yet
            QVERIFY(!std::filesystem::exists(plane.file()));
            const auto api = plane.dataPlane->findDestination("api.shop");
            QVERIFY(!memory.setAtRunTime(*api));
            QVERIFY(api->balancer->setSplit(EightyTwenty));
            memory.remember(*api, "the admin API");
            QVERIFY(memory.setAtRunTime(*api));
            QVERIFY(memory.persisted(*api));
            auto saved = apiAt(EightyTwenty, NinetyTen);
            saved.setUnix = unixSecondsOf(plane.clock.now());
            QCOMPARE(daemon::rememberedSplitsFromText(*readSmallFile(plane.file()))->front(),
                     saved);
            // The next start, same file: back at 80/20.
            Plane again(config);
            writeText(again.file(), *readSmallFile(plane.file()));
            auto restored = again.memory();
            restored.restore();
            QCOMPARE(again.split(), EightyTwenty);
            QVERIFY(restored.persisted(*again.dataPlane->findDestination("api.shop")));
            QVERIFY(again.said("restored after a restart"));
        }
        // The next start with the file's split edited: the file's split, the memory dropped.
        Plane edited(meshWith("[{version: v1, weight: 50}, {version: v2, weight: 50}]"));
        writeText(edited.file(), daemon::rememberedSplitsText({apiAt(EightyTwenty, NinetyTen)}));
        auto memory = edited.memory();
        memory.restore();
        QCOMPARE(edited.split(), FiftyFifty);
        QVERIFY(edited.said("is dropped: mesh.yaml changed its split"));
        QCOMPARE(daemon::rememberedSplitsFromText(*readSmallFile(edited.file()))->size(), 0u);
    }

    // A version added since (its weight 0 in the balancer) leaves the remembered split as it was.
    void aVersionAddedSinceKeepsTheRememberedSplit()
    {
        Plane plane(meshWith("[{version: v1, weight: 90}, {version: v2, weight: 10}]", true));
        writeText(plane.file(), daemon::rememberedSplitsText({apiAt(EightyTwenty, NinetyTen)}));
        auto memory = plane.memory();
        memory.restore();
        const auto api = plane.dataPlane->findDestination("api.shop");
        const std::vector<BackendWeight> withThird = {{"v1", 80}, {"v2", 20}, {"v3", 0}};
        QCOMPARE(plane.split(), withThird);
        QVERIFY(memory.persisted(*api));
        memory.reconcile(); // as after a reload with the same file
        QVERIFY(memory.persisted(*api));
        QVERIFY(!plane.said("no longer applies"));
    }

    void settingTheFilesSplitAgainForgetsIt()
    {
        Plane plane(meshWith(""));
        auto memory = plane.memory();
        memory.restore();
        const auto api = plane.dataPlane->findDestination("api.shop");
        QVERIFY(api->balancer->setSplit(EightyTwenty));
        memory.remember(*api, "the admin API");
        QVERIFY(api->balancer->setSplit({{"v1", 1}, {"v2", 1}})); // by replicas: one each
        memory.remember(*api, "the admin API");
        QVERIFY(!memory.setAtRunTime(*api));
        QVERIFY(!memory.persisted(*api));
        QCOMPARE(daemon::rememberedSplitsFromText(*readSmallFile(plane.file()))->size(), 0u);
    }

    void aBrokenFileIsMovedAsideAndTheFilesSplitsHold()
    {
        Plane plane(meshWith(""));
        writeText(plane.file(), "{\"format\": 1, \"splits\": [");
        auto memory = plane.memory();
        memory.restore();
        QCOMPARE(plane.split(), (std::vector<BackendWeight> {{"v1", 1}, {"v2", 1}}));
        QVERIFY(plane.said("could not be read"));
        QVERIFY(std::filesystem::exists(plane.state.stateDir() / "splits.json.unreadable"));
    }

    void aFileItCannotWriteIsReportedAndNotPersisted()
    {
        Plane plane(meshWith(""));
        auto memory = plane.memory();
        memory.restore();
        // A directory where the file goes: no rename replaces it, not even as root.
        std::filesystem::create_directory(plane.file());
        const auto api = plane.dataPlane->findDestination("api.shop");
        QVERIFY(api->balancer->setSplit(EightyTwenty));
        memory.remember(*api, "the admin API");
        std::filesystem::remove(plane.file());
        QVERIFY(memory.setAtRunTime(*api));
        QVERIFY(!memory.persisted(*api));
        QVERIFY(memory.saveProblem());
        QVERIFY(plane.said("could not be saved"));
        QCOMPARE(plane.split(), EightyTwenty); // the split holds while meshd runs
        memory.remember(*api, "the admin API"); // writable again: the next change saves
        QVERIFY(memory.persisted(*api));
        QVERIFY(plane.said("saved again"));
    }
};

QTEST_GUILESS_MAIN(TestSplitMemory)
#include "tst_split_memory.moc"
