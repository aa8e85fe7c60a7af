// Pictures of the main window (offscreen) on the demo mesh, in a light and a dark palette, with the
// checks, certificates and tap tabs below the topology and a service selected: to look at after a
// change (did anything move or lose its colour?). The PNGs go to $MESHSCOPE_SCREENSHOT_DIR (else
// a temporary folder that is removed); the test only checks they are real pictures.
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QDockWidget>
#include <QImage>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>

#include "admin/admin_token.h"
#include "client/admin_client.h"
#include "models/explorer_models.h"
#include "models/mesh_connection.h"
#include "models/rollout_intervals_model.h"
#include "tests/support/meshd_process.h"
#include "tests/support/temp_state.h"
#include "ui/connection_banner.h"
#include "ui/main_window.h"
#include "ui/rollouts/rollout_wizard.h"

using meshscope::models::MeshConnection;
using meshscope::testing::MeshdProcess;
using meshscope::testing::TempState;

namespace {

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x30));
    p.setColor(QPalette::WindowText, QColor(0xe8, 0xea, 0xed));
    p.setColor(QPalette::Base, QColor(0x20, 0x21, 0x24));
    p.setColor(QPalette::AlternateBase, QColor(0x2b, 0x2d, 0x30));
    p.setColor(QPalette::Text, QColor(0xe8, 0xea, 0xed));
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0xa0, 0xa6));
    p.setColor(QPalette::Button, QColor(0x3c, 0x40, 0x43));
    p.setColor(QPalette::ButtonText, QColor(0xe8, 0xea, 0xed));
    p.setColor(QPalette::Highlight, QColor(0x8a, 0xb4, 0xf8));
    p.setColor(QPalette::HighlightedText, QColor(0x20, 0x21, 0x24));
    p.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x40, 0x43));
    p.setColor(QPalette::ToolTipText, QColor(0xe8, 0xea, 0xed));
    return p;
}

bool isPicture(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    return !image.isNull() && colours.size() > 10;
}

QString screenshotDir(const QTemporaryDir &temporary)
{
    const QString wanted = qEnvironmentVariable("MESHSCOPE_SCREENSHOT_DIR");
    QString dir = wanted.isEmpty() ? temporary.path() : wanted;
    QDir().mkpath(dir);
    return dir;
}

QAction *menuAction(QWidget *window, const QString &text)
{
    for (auto *action : window->findChildren<QAction *>())
        if (action->text() == text)
            return action;
    return nullptr;
}

// A canary of recommendations' v2 (which fails 5 % of its requests) that passes at 90 %, with
// short intervals and meshd's own traffic so that a picture shows several.
meshcore::control::RolloutSpec demoRollout()
{
    meshcore::control::RolloutSpec spec;
    spec.service = "recommendations";
    spec.ns = "shop";
    spec.stable = "v1";
    spec.candidate = "v2";
    spec.stepWeight = 10;
    spec.maxWeight = 90;
    spec.interval = std::chrono::seconds(4);
    spec.analysis.minSuccessRate = 90;
    spec.analysis.minRequests = 5;
    // The demo's v2 fails 5 % at random: the picture needs five intervals, whatever they say.
    spec.analysis.failureThreshold = 10;
    spec.analysis.maxP99Ms = 250;
    spec.traffic.enabled = true;
    spec.traffic.rps = 10;
    return spec;
}

} // namespace

class TestScreenshots : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void theWindowInLightAndDark()
    {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        const QPalette light = QApplication::style()->standardPalette();
        QApplication::setPalette(light);
        TempState state;
        auto meshd = MeshdProcess::start(state.stateDirQString());
        QVERIFY(meshd);
        MeshConnection::Options options;
        options.address = meshd->adminAddress();
        options.stateDir = state.stateDir();
        options.startMeshdIfAbsent = false;
        options.pollIntervalMs = 300;
        MeshConnection connection(options);
        meshscope::models::ExplorerModels models(&connection);
        {
            meshscope::ui::MainWindow window(&connection, &models);
            window.resize(1600, 1000);
            window.show();
            window.selectService(QStringLiteral("catalog.shop"));
            connection.start();
            QVERIFY(QTest::qWaitFor([&] { return window.readyForScreenshot(); }, 30000));
            QTest::qWait(1500); // a few more polls: charts and tables filled

            QTemporaryDir temporary;
            const QString wanted = qEnvironmentVariable("MESHSCOPE_SCREENSHOT_DIR");
            const QString dir = wanted.isEmpty() ? temporary.path() : wanted;
            QDir().mkpath(dir);
            auto *tabs = window.findChild<QTabWidget *>();
            QVERIFY(tabs);
            for (const auto &[name, palette] :
                 {std::pair {QStringLiteral("light"), light},
                  std::pair {QStringLiteral("dark"), darkPalette()}}) {
                QApplication::setPalette(palette);
                for (int tab = 0; tab < 3; ++tab) {
                    tabs->setCurrentIndex(tab);
                    QTest::qWait(tab == 2 ? 1500 : 300); // the tap opens when shown
                    const QImage image = window.grab().toImage();
                    QVERIFY(isPicture(image));
                    const QString file
                        = QStringLiteral("%1/window-%2-tab%3.png").arg(dir, name).arg(tab);
                    QVERIFY(image.save(file, "PNG"));
                    qInfo("wrote %s", qPrintable(file));
                }
            }
            QApplication::setPalette(light);
        }
        connection.shutdown();
    }

    // The explorer as docs/explorer.md shows it, at 1600x1000, 1280x720 and 1024x640: the
    // overview, a selected service, a selected edge, a split at 50/50, and meshd gone
    // (explorer-<state>-<width>.png).
    void theExplorerAtThreeSizes()
    {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(QApplication::style()->standardPalette());
        TempState state;
        auto meshd = MeshdProcess::start(state.stateDirQString());
        QVERIFY(meshd);
        MeshConnection::Options options;
        options.address = meshd->adminAddress();
        options.stateDir = state.stateDir();
        options.startMeshdIfAbsent = false;
        options.pollIntervalMs = 300;
        MeshConnection connection(options);
        meshscope::models::ExplorerModels models(&connection);
        QTemporaryDir temporary;
        const QString dir = screenshotDir(temporary);
        const QList<QSize> sizes = {{1600, 1000}, {1280, 720}, {1024, 640}};
        {
            meshscope::ui::MainWindow window(&connection, &models);
            window.resize(sizes.first());
            window.show();
            connection.start();
            QVERIFY(QTest::qWaitFor([&] { return window.readyForScreenshot(); }, 30000));
            QTest::qWait(2000); // the dots spread, the overview's certificates arrive
            const auto shoot = [&](const QString &name, const QSize &size) {
                window.resize(size);
                // The side panel as a first start at that size gives it.
                window.resizeDocks({window.sideDock()},
                                   {meshscope::ui::MainWindow::firstSidePanelWidth(size.width())},
                                   Qt::Horizontal);
                QTest::qWait(700);
                const QImage image = window.grab().toImage();
                QVERIFY(isPicture(image));
                const QString file
                    = QStringLiteral("%1/explorer-%2-%3.png").arg(dir, name).arg(size.width());
                QVERIFY(image.save(file, "PNG"));
            };
            const auto select = [&](const QString &key) {
                window.selectService(key);
                QVERIFY(QTest::qWaitFor([&] { return window.readyForScreenshot(); }, 10000));
            };
            for (const auto &size : sizes) {
                window.showOverview();
                shoot(QStringLiteral("overview"), size);
                select(QStringLiteral("catalog.shop"));
                shoot(QStringLiteral("service"), size);
                window.selectEdge(QStringLiteral("frontend.shop>recommendations.shop"));
                QTest::qWait(1000); // its own history and routes
                shoot(QStringLiteral("edge"), size);
            }
            meshcore::client::AdminClient::Options client;
            client.address = meshd->adminAddress();
            client.token = *meshcore::admin::readAdminToken(state.stateDir());
            auto admin = std::move(*meshcore::client::AdminClient::create(client));
            QVERIFY(admin->setSplit("recommendations.shop", {{"v1", 50}, {"v2", 50}}));
            select(QStringLiteral("recommendations.shop"));
            QTest::qWait(1500);
            for (const auto &size : sizes)
                shoot(QStringLiteral("split"), size);
            window.showOverview();
            QCOMPARE(meshd->stop(SIGTERM), 0);
            QVERIFY(QTest::qWaitFor([&] { return window.banner()->isVisible(); }, 10000));
            for (const auto &size : sizes)
                shoot(QStringLiteral("disconnected"), size);
            qInfo("wrote %s/explorer-*.png", qPrintable(dir));
        }
        connection.shutdown();
    }

    // The rollout wizard's review page, and the cockpit of a live rollout on the demo mesh, at
    // 1280x800: rollout-wizard.png and rollout-cockpit.png (docs/explorer.md shows them).
    void theRolloutWizardAndCockpit()
    {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(QApplication::style()->standardPalette());
        TempState state;
        auto meshd = MeshdProcess::start(state.stateDirQString());
        QVERIFY(meshd);
        MeshConnection::Options options;
        options.address = meshd->adminAddress();
        options.stateDir = state.stateDir();
        options.startMeshdIfAbsent = false;
        options.pollIntervalMs = 300;
        MeshConnection connection(options);
        meshscope::models::ExplorerModels models(&connection);
        QTemporaryDir temporary;
        const QString dir = screenshotDir(temporary);
        {
            meshscope::ui::MainWindow window(&connection, &models);
            window.resize(1280, 800);
            window.show();
            window.selectService(QStringLiteral("recommendations.shop"));
            connection.start();
            QVERIFY(QTest::qWaitFor([&] { return window.readyForScreenshot(); }, 30000));

            // The wizard with its defaults and analysis traffic, on its last page.
            menuAction(&window, QStringLiteral("&Start a Rollout…"))->trigger();
            auto *wizard = window.findChild<meshscope::ui::RolloutWizard *>();
            QVERIFY(wizard);
            for (int page = 0; page < 3; ++page)
                wizard->next();
            wizard->findChild<QCheckBox *>(QStringLiteral("trafficEnabled"))->setChecked(true);
            wizard->next();
            QCOMPARE(wizard->currentId(), int(meshscope::ui::RolloutWizard::Review));
            QTest::qWait(300);
            const QImage review = wizard->grab().toImage();
            QVERIFY(isPicture(review));
            QVERIFY(review.save(dir + QStringLiteral("/rollout-wizard.png"), "PNG"));
            wizard->reject();

            // A live canary, a few intervals in.
            meshcore::client::AdminClient::Options client;
            client.address = meshd->adminAddress();
            client.token = *meshcore::admin::readAdminToken(state.stateDir());
            auto admin = std::move(*meshcore::client::AdminClient::create(client));
            QVERIFY(admin->startRollout(demoRollout()));
            menuAction(&window, QStringLiteral("Show the &Cockpit"))->trigger();
            QVERIFY(
                QTest::qWaitFor([&] { return models.rolloutIntervals()->rowCount() >= 5; }, 40000));
            QTest::qWait(1000);
            const QImage cockpit = window.grab().toImage();
            QVERIFY(isPicture(cockpit));
            QVERIFY(cockpit.save(dir + QStringLiteral("/rollout-cockpit.png"), "PNG"));

            // And a rollback: v2 broken on purpose, a new canary of it rolled back on its own.
            QVERIFY(admin->rolloutAction("recommendations.shop", meshcore::rollout::Action::Abort));
            meshcore::admin::FaultSpec fault;
            fault.abortPercent = 60;
            fault.abortStatus = 500;
            QVERIFY(admin->setFault("recommendations.shop", "v2", fault));
            auto failing = demoRollout();
            failing.analysis.failureThreshold = 2;
            QVERIFY(admin->startRollout(failing));
            QVERIFY(QTest::qWaitFor(
                [&] {
                    const auto *shown = models.selectedRollout();
                    return shown && shown->phase == meshcore::rollout::Phase::RolledBack
                        && shown->attempt == 1 && shown->intervals.size() >= 2;
                },
                40000));
            QTest::qWait(1500);
            const QImage rollback = window.grab().toImage();
            QVERIFY(isPicture(rollback));
            QVERIFY(rollback.save(dir + QStringLiteral("/rollout-rollback.png"), "PNG"));
            qInfo("wrote %s/rollout-wizard.png, rollout-cockpit.png and rollout-rollback.png",
                  qPrintable(dir));
        }
        connection.shutdown();
    }
};

QTEST_MAIN(TestScreenshots)
#include "tst_screenshots.moc"
