// The explorer's window (offscreen) against a real meshd running the demo mesh: selecting a
// service, the split sliders applying through meshd, the certificate tree against the CA's real
// inventory, the live tap, and reconnecting after meshd restarts.
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QTabWidget>
#include <QTest>
#include <QTreeView>

#include <cmath>
#include <csignal>

#include "admin/admin_token.h"
#include "client/admin_client.h"
#include "models/certificates_model.h"
#include "models/checks_model.h"
#include "models/edges_model.h"
#include "models/explorer_models.h"
#include "models/mesh_connection.h"
#include "models/mesh_graph.h"
#include "models/routes_model.h"
#include "models/tap_model.h"
#include "models/workloads_model.h"
#include "tests/support/meshd_process.h"
#include "tests/support/temp_state.h"
#include "tests/ui/explorer_app.h"
#include "ui/certificates_view.h"
#include "ui/charts/time_series_chart.h"
#include "ui/connection_banner.h"
#include "ui/main_window.h"
#include "ui/service_panel.h"
#include "ui/settings_dialog.h"
#include "ui/split_editor.h"
#include "ui/tap_view.h"
#include "ui/topology/node_item.h"
#include "ui/topology/topology_scene.h"

using meshscope::testing::App;
using meshscope::testing::MeshdProcess;
using meshscope::testing::TempState;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void selectingAServiceFillsItsPanel()
    {
        App app;
        QVERIFY(app.meshd);
        QVERIFY(app.waitForTheMesh());
        auto *scene = app.window->scene();
        QCOMPARE(scene->nodeCount(), app.models->graph()->nodes().size());
        QVERIFY(scene->nodeItem(QStringLiteral("catalog.shop")));
        QVERIFY(scene->edgeItem(QStringLiteral("frontend.shop>catalog.shop")));

        // A click on the card selects it, as the user does it.
        scene->nodeItem(QStringLiteral("catalog.shop"))->setSelected(true);
        auto *panel = app.window->servicePanel();
        QCOMPARE(panel->service(), QStringLiteral("catalog.shop"));
        QAbstractItemModelTester routesTester(
            app.models->routes(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY_WITH_TIMEOUT(app.models->routes()->rowOf(QStringLiteral("items")) >= 0, 5000);
        QVERIFY(app.models->routes()->rowOf(QStringLiteral("default")) >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(!panel->rateChart()->points(0).isEmpty(), 5000);
        // 15 minutes of 10 s at most, none from before this fresh meshd started (nobody counted
        // then: a gap, not zeros), the last one now.
        const auto points = panel->rateChart()->points(0);
        QVERIFY(points.size() <= 90);
        const double started
            = static_cast<double>(app.models->latest()->info.startedAtUnixMs) - 10000.0;
        QVERIFY(points.first().x() >= started);
        QVERIFY(std::abs(points.last().x() - QDateTime::currentMSecsSinceEpoch()) < 20000);
        QTRY_COMPARE_WITH_TIMEOUT(app.models->workloads()->rowCount(), 2,
                                  5000); // catalog runs two replicas
        // Callers and callees, with identities on the mTLS edges.
        QTRY_VERIFY_WITH_TIMEOUT(
            app.models->edges()->rowOf(QStringLiteral("frontend.shop>catalog.shop")) >= 0, 5000);
        const auto row = app.models->edges()->rowOf(QStringLiteral("frontend.shop>catalog.shop"));
        QVERIFY(app.models->edges()
                    ->data(app.models->edges()->index(row, meshscope::models::EdgesModel::Security))
                    .toString()
                    .contains("mTLS"));
        // Find by name does the same.
        app.window->selectService(QStringLiteral("inventory.shop"));
        QCOMPARE(panel->service(), QStringLiteral("inventory.shop"));
    }

    void theSplitSlidersApplyThroughMeshd()
    {
        App app;
        QVERIFY(app.meshd);
        QVERIFY(app.waitForTheMesh());
        app.window->selectService(QStringLiteral("recommendations.shop"));
        auto *split = app.window->servicePanel()->splitEditor();
        QTRY_COMPARE_WITH_TIMEOUT(split->weights().size(), std::size_t(2), 5000);
        QCOMPARE(split->weights()[0].weight, 90u);
        QTRY_VERIFY_WITH_TIMEOUT(
            app.window->servicePanel()->observedShares().contains(QStringLiteral("v1 ")), 5000);
        split->setWeight(QStringLiteral("v1"), 50);
        split->setWeight(QStringLiteral("v2"), 50);
        QVERIFY(split->editing());
        split->apply(false); // (the confirmation dialog is the user's; tests answer it yes)
        const auto admin = app.admin();
        QTRY_VERIFY_WITH_TIMEOUT(admin->split("recommendations")
                                     && admin->split("recommendations")->backends[1].weight == 50,
                                 5000);
        QCOMPARE(admin->split("recommendations")->backends[0].weight, 50u);
        // The next polls show what meshd put in force.
        QTRY_COMPARE_WITH_TIMEOUT(split->weights()[1].weight, 50u, 5000);
        QVERIFY(!split->editing());
    }

    void theCertificateTreeIsTheCasInventory()
    {
        App app;
        QVERIFY(app.meshd);
        auto *certificates = app.window->certificates();
        QAbstractItemModelTester tester(app.models->certificates(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY_WITH_TIMEOUT(app.models->certificates()->rowCount() > 0, 10000);
        const auto inventory = app.admin()->certificates();
        QVERIFY(inventory);
        // anchor -> issuer -> every workload's leaf, as many as the CA lists.
        auto *model = app.models->certificates();
        const auto anchor = model->index(0, 0);
        QCOMPARE(
            model->data(model->index(0, meshscope::models::CertificatesModel::Kind)).toString(),
            QStringLiteral("trust-anchor (signing)"));
        const auto issuer = model->index(0, 0, anchor);
        QVERIFY(model->data(model->index(0, meshscope::models::CertificatesModel::Kind, anchor))
                    .toString()
                    .startsWith("issuer"));
        int workloads = 0;
        for (const auto &c : inventory->certificates)
            workloads += c.kind == "workload" ? 1 : 0;
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(issuer), workloads, 5000);
        QVERIFY(certificates->banner()->isHidden()); // a fresh CA: nothing expiring
        QCOMPARE(certificates->nextAnchorStage(), QStringLiteral("add"));
        // Rotating the issuer from the window: a new issuer serial in the tree.
        const QString before = model->data(model->index(0, 0, anchor), Qt::ToolTipRole).toString();
        app.connection->rotateIssuer();
        QTRY_VERIFY_WITH_TIMEOUT(
            model->rowCount() > 0
                && model->data(model->index(0, 0, model->index(0, 0)), Qt::ToolTipRole).toString()
                    != before,
            10000);
    }

    void theTapViewReceivesLiveRows()
    {
        App app;
        QVERIFY(app.meshd);
        QVERIFY(app.waitForTheMesh());
        auto *tap = app.window->tap();
        tap->setFilters(QStringLiteral("catalog"), {}, {}, {});
        app.window->tabs()->setCurrentWidget(tap); // the tap opens when shown
        QAbstractItemModelTester tester(app.models->tap(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QTRY_VERIFY_WITH_TIMEOUT(app.models->tap()->rowCount() >= 3, 10000);
        for (int row = 0; row < app.models->tap()->rowCount(); ++row)
            QCOMPARE(QString::fromStdString(app.models->tap()->eventAt(row)->destinationService),
                     QStringLiteral("catalog.shop"));
        QVERIFY(app.models->tap()->toText({0}).contains(QStringLiteral("catalog-v1-")));
        tap->setPaused(true);
        const int rows = app.models->tap()->rowCount();
        QTRY_VERIFY_WITH_TIMEOUT(app.models->tap()->missedWhilePaused() > 0, 5000);
        QCOMPARE(app.models->tap()->rowCount(), rows);
        // New filters take over at once: nothing of the old tap shows after the change.
        tap->setPaused(false);
        tap->setFilters(QStringLiteral("inventory"), {}, {}, {});
        app.models->tap()->clear();
        QTRY_VERIFY_WITH_TIMEOUT(app.models->tap()->rowCount() >= 3, 10000);
        for (int row = 0; row < app.models->tap()->rowCount(); ++row)
            QCOMPARE(QString::fromStdString(app.models->tap()->eventAt(row)->destinationService),
                     QStringLiteral("inventory.shop"));
    }

    void theSettingsDialogRefusesWhatCannotWork()
    {
        meshscope::ui::SettingsDialog dialog(QStringLiteral("example.com:4191"),
                                             QStringLiteral("/tmp/x"), {0.99, 0.95});
        dialog.show();
        dialog.accept();
        QVERIFY(dialog.isVisible()); // refused: not loopback
        auto *address = dialog.findChild<QLineEdit *>();
        address->setText(QStringLiteral("127.0.0.1:5999"));
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.address().port, 5999);
        QCOMPARE(dialog.thresholds().failBelow, 0.95);
    }

    void connectingToAnotherMeshdShowsItsMesh()
    {
        App app;
        QVERIFY(app.meshd);
        QVERIFY(app.waitForTheMesh());
        // A second meshd with a mesh of its own.
        TempState other;
        const QString config = other.path(QStringLiteral("mesh.yaml"));
        QFile file(config);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("mesh: {name: lab}\nservices:\n  - {name: solo, namespace: lab, versions: "
                   "[{name: v1, replicas: [{port: auto, command: [meshd, demo-app]}]}]}\n");
        file.close();
        auto second
            = MeshdProcess::start(other.stateDirQString(), {QStringLiteral("--config"), config});
        QVERIFY(second);
        app.connection->reconnect(second->adminAddress(), other.stateDir());
        QTRY_VERIFY_WITH_TIMEOUT(app.window->windowTitle().startsWith(QStringLiteral("lab")),
                                 10000);
        QTRY_VERIFY_WITH_TIMEOUT(app.models->graph()->node(QStringLiteral("solo.lab")), 5000);
        QVERIFY(!app.models->graph()->node(
            QStringLiteral("catalog.shop"))); // nothing of the first mesh stays
        QCOMPARE(second->stop(SIGTERM), 0);
    }

    void theWindowWaitsForARestartedMeshdAndCarriesOn()
    {
        App app;
        QVERIFY(app.meshd);
        QVERIFY(app.waitForTheMesh());
        const QString address = app.meshd->adminAddressText();
        QCOMPARE(app.meshd->stop(SIGTERM), 0);
        QTRY_VERIFY_WITH_TIMEOUT(app.window->banner()->isVisible(), 10000);
        QVERIFY(app.window->banner()->message().contains(QStringLiteral("is not answering")));
        QVERIFY(app.window->scene()->nodeCount() >= 8); // the last picture stays
        // Same state, same address: the window reconnects by itself.
        app.meshd = MeshdProcess::start(app.state.stateDirQString(),
                                        {QStringLiteral("--admin"), address});
        QVERIFY(app.meshd);
        QTRY_VERIFY_WITH_TIMEOUT(!app.window->banner()->isVisible(), 15000);
        QVERIFY(app.waitForTheMesh());
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
